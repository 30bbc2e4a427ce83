#!/bin/sh
# Runs once, when the PostgreSQL data directory is created: the auditor's runtime role, which
# the migrations (run by the owner, POSTGRES_USER) grant SELECT and INSERT only.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v role="roster_auditor" -v pw="$ROSTER_AUDITOR_DB_PASSWORD" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'pw';
SQL
