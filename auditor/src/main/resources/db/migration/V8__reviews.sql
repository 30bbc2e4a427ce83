-- Security reviews (topic reviews): the provisioner's review status records and the findings each
-- review reported. Append-only like the reconciliation tables and, like them, outside the hash
-- chain (see README.md, "Findings"). Nothing here is ever updated: whether a finding is open or
-- resolved, and since when, is computed at query time from these rows (ReviewQueries).

-- One row per status record of a review (running, then completed or failed).
CREATE TABLE review_status (
    seq              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    review_id        text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    started_at       timestamptz NOT NULL,
    -- required for completed: it is the resolution time of what the review no longer reports
    completed_at     timestamptz CHECK (status <> 'completed' OR completed_at IS NOT NULL),
    -- JSON text as received (a list of account ids; kind -> n)
    accounts         text,
    counts           text,
    reason           text,
    kafka_partition  integer     NOT NULL,
    kafka_offset     bigint      NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    -- Idempotency: a redelivered record (same partition and offset) is stored once.
    UNIQUE (review_id, kafka_partition, kafka_offset)
);
CREATE INDEX review_status_id_ix ON review_status (review_id, kafka_offset);
CREATE INDEX review_status_completed_ix ON review_status (started_at) WHERE status = 'completed';

-- One row per finding a review reported: a sighting of the finding (findingId is stable across
-- reviews for the same fact).
CREATE TABLE review_finding (
    seq              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    review_id        text        NOT NULL,
    finding_id       text        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('console-without-mfa', 'old-access-key',
                         'unused-access-key', 'multiple-active-keys',
                         'leaver-with-active-credential', 'direct-policy', 'unmapped-group',
                         'privileged-group', 'cut-off-not-verified', 'account-outside-ou',
                         'scp-missing', 'scp-added', 'scp-changed', 'ou-without-scp')),
    account          text,
    employee_id      text,
    user_name        text,
    subject          text,
    detail           text,
    observed_at      timestamptz NOT NULL,
    kafka_partition  integer     NOT NULL,
    kafka_offset     bigint      NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    -- Idempotency: a review reports a finding once; a redelivery or a republished copy stores
    -- nothing (the first stored copy stands).
    UNIQUE (review_id, finding_id)
);
CREATE INDEX review_finding_finding_ix ON review_finding (finding_id, observed_at);

-- Append-only, enforced by the database for everyone (superusers included); the function of V7.
CREATE TRIGGER review_status_no_update_delete
    BEFORE UPDATE OR DELETE ON review_status
    FOR EACH ROW EXECUTE FUNCTION reconciliation_reject_change();
CREATE TRIGGER review_status_no_truncate
    BEFORE TRUNCATE ON review_status
    FOR EACH STATEMENT EXECUTE FUNCTION reconciliation_reject_change();
CREATE TRIGGER review_finding_no_update_delete
    BEFORE UPDATE OR DELETE ON review_finding
    FOR EACH ROW EXECUTE FUNCTION reconciliation_reject_change();
CREATE TRIGGER review_finding_no_truncate
    BEFORE TRUNCATE ON review_finding
    FOR EACH STATEMENT EXECUTE FUNCTION reconciliation_reject_change();

-- The runtime role: SELECT and INSERT, nothing else (identity columns need no sequence grant).
DO
$$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${auditorAppRole}') THEN
        GRANT SELECT, INSERT ON review_status TO "${auditorAppRole}";
        GRANT SELECT, INSERT ON review_finding TO "${auditorAppRole}";
    END IF;
END
$$;
