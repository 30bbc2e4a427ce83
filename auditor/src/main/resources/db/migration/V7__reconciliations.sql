-- Reconciliations (topic reconciliations): the provisioner's status records and the differences it
-- found between IAM and HR. Append-only like audit_log, but outside the hash chain: the repairs
-- themselves are chained (IAM changes and outcomes with reason reconcile:<id> or drift); these
-- tables are the report of what was compared (see README.md, "Reconciliations").

-- One row per status record; a reconciliation's current status is its row with the highest Kafka
-- offset (its records share the key, hence the partition).
CREATE TABLE reconciliation_status (
    seq                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reconciliation_id  text        NOT NULL,
    status             text        NOT NULL CHECK (status IN ('running', 'completed', 'held', 'failed')),
    source             text        NOT NULL CHECK (source IN ('snapshot', 'drift')),
    mode               text        CHECK (mode IN ('report', 'apply')),
    started_at         timestamptz,
    completed_at       timestamptz,
    employees          integer,
    -- JSON text as received (a list of account ids; kind -> n; account -> kind -> n)
    accounts           text,
    counts             text,
    counts_by_account  text,
    deactivations      integer,
    reason             text,
    kafka_partition    integer     NOT NULL,
    kafka_offset       bigint      NOT NULL,
    recorded_at        timestamptz NOT NULL DEFAULT now(),
    -- Idempotency: a redelivered record (same partition and offset) is stored once.
    UNIQUE (reconciliation_id, kafka_partition, kafka_offset)
);
CREATE INDEX reconciliation_status_id_ix ON reconciliation_status (reconciliation_id, kafka_offset);

-- One row per difference record.
CREATE TABLE reconciliation_difference (
    seq                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reconciliation_id  text        NOT NULL,
    kind               text        NOT NULL CHECK (kind IN ('missing-user', 'missing-group',
                           'extra-group', 'leaver-with-access', 'orphan', 'direct-policy',
                           'tag-mismatch', 'unowned-conflict')),
    account            text        NOT NULL,
    employee_id        text,
    user_name          text,
    detail             text,
    repaired           boolean,
    event_id           text,
    kafka_partition    integer     NOT NULL,
    kafka_offset       bigint      NOT NULL,
    recorded_at        timestamptz NOT NULL DEFAULT now(),
    -- Idempotency: SHA-256 of the record's fields, so a redelivery or a republished copy of the
    -- same difference stores nothing.
    record_key         char(64)    NOT NULL UNIQUE
);
CREATE INDEX reconciliation_difference_id_ix ON reconciliation_difference (reconciliation_id, seq);
CREATE INDEX reconciliation_difference_kind_ix ON reconciliation_difference (reconciliation_id, kind, seq);
CREATE INDEX reconciliation_difference_account_ix ON reconciliation_difference (reconciliation_id, account, seq);

-- Append-only, enforced by the database for everyone (superusers included).
CREATE FUNCTION reconciliation_reject_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION '% is append-only: % rejected', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER reconciliation_status_no_update_delete
    BEFORE UPDATE OR DELETE ON reconciliation_status
    FOR EACH ROW EXECUTE FUNCTION reconciliation_reject_change();
CREATE TRIGGER reconciliation_status_no_truncate
    BEFORE TRUNCATE ON reconciliation_status
    FOR EACH STATEMENT EXECUTE FUNCTION reconciliation_reject_change();
CREATE TRIGGER reconciliation_difference_no_update_delete
    BEFORE UPDATE OR DELETE ON reconciliation_difference
    FOR EACH ROW EXECUTE FUNCTION reconciliation_reject_change();
CREATE TRIGGER reconciliation_difference_no_truncate
    BEFORE TRUNCATE ON reconciliation_difference
    FOR EACH STATEMENT EXECUTE FUNCTION reconciliation_reject_change();

-- The runtime role: SELECT and INSERT, nothing else (identity columns need no sequence grant).
DO
$$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${auditorAppRole}') THEN
        GRANT SELECT, INSERT ON reconciliation_status TO "${auditorAppRole}";
        GRANT SELECT, INSERT ON reconciliation_difference TO "${auditorAppRole}";
    END IF;
END
$$;
