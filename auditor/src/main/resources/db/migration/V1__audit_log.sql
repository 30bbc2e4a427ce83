-- The audit log: one append-only table for every kind of entry, chained by seq.
-- One table (rather than one per kind) keeps the chain a single ordered scan and an
-- append a single batched INSERT; the kind-specific columns are NULL for other kinds.

CREATE TABLE audit_log (
    seq             bigint      PRIMARY KEY,
    kind            text        NOT NULL CHECK (kind IN ('hr_event', 'iam_change', 'provisioning_outcome')),
    prev_hash       char(64)    NOT NULL,
    hash            char(64)    NOT NULL,
    recorded_at     timestamptz NOT NULL,
    event_id        text        NOT NULL,
    employee_id     text        NOT NULL,
    -- hr_event
    event_type      text,
    occurred_at     timestamptz,
    effective_at    timestamptz,
    payload         text,
    -- iam_change
    change_id       text,
    account         text,
    action          text,
    user_name       text,
    target          text,
    status          text,
    error           text,
    aws_request_id  text,
    at              timestamptz,
    -- provisioning_outcome
    outcome         text,
    planned_count   integer,
    applied_count   integer,
    failed_count    integer,
    started_at      timestamptz,
    completed_at    timestamptz,
    reason          text,
    CHECK (kind <> 'hr_event' OR (event_type IS NOT NULL AND occurred_at IS NOT NULL AND payload IS NOT NULL)),
    CHECK (kind <> 'iam_change' OR (change_id IS NOT NULL AND action IS NOT NULL AND status IS NOT NULL)),
    CHECK (kind <> 'provisioning_outcome' OR outcome IS NOT NULL)
);

-- Idempotency: a record seen twice is stored once. A change id may appear once per status
-- (a failed attempt and the later successful retry of the same mutation are both facts).
CREATE UNIQUE INDEX audit_log_hr_event_uk ON audit_log (event_id) WHERE kind = 'hr_event';
CREATE UNIQUE INDEX audit_log_iam_change_uk ON audit_log (change_id, status) WHERE kind = 'iam_change';
CREATE UNIQUE INDEX audit_log_outcome_uk ON audit_log (event_id, outcome) WHERE kind = 'provisioning_outcome';

-- Query paths: per-kind keyset scans (seq DESC) narrowed by the filters.
CREATE INDEX audit_log_kind_seq_ix ON audit_log (kind, seq);
CREATE INDEX audit_log_employee_ix ON audit_log (employee_id, seq);
CREATE INDEX audit_log_event_ix ON audit_log (event_id, seq);
CREATE INDEX audit_log_leave_ix ON audit_log (effective_at) WHERE kind = 'hr_event' AND event_type = 'leave';

-- The head of the chain: one row, locked FOR UPDATE by every writer, so that appends are
-- serialized even across several auditor instances.
CREATE TABLE chain_head (
    id    smallint PRIMARY KEY CHECK (id = 1),
    seq   bigint   NOT NULL,
    hash  char(64) NOT NULL
);
INSERT INTO chain_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));

-- Append-only, enforced by the database: whoever connects, UPDATE, DELETE and TRUNCATE fail.
CREATE FUNCTION audit_log_reject_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % rejected', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_reject_change();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_reject_change();

-- Only forward moves of the head: it cannot be rewound to hide truncated history.
CREATE FUNCTION chain_head_forward_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_OP <> 'UPDATE' OR NEW.seq < OLD.seq THEN
        RAISE EXCEPTION 'chain_head only moves forward: % rejected', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER chain_head_forward
    BEFORE UPDATE OR DELETE ON chain_head
    FOR EACH ROW EXECUTE FUNCTION chain_head_forward_only();
