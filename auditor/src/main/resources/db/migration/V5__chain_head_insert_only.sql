-- chain_head becomes an insert-only history of heads: one row per appended batch, the head is
-- the row with the highest seq. The service then needs no UPDATE anywhere (SELECT and INSERT
-- only), and the database itself refuses to move the head backwards, to a seq it already had, or
-- to a (seq, hash) that is not a stored entry. Writers serialize on a transaction-level advisory
-- lock instead of SELECT ... FOR UPDATE (which would need UPDATE).
DROP TRIGGER chain_head_forward ON chain_head;
DROP FUNCTION chain_head_forward_only();
ALTER TABLE chain_head DROP CONSTRAINT chain_head_pkey;
ALTER TABLE chain_head DROP COLUMN id;
ALTER TABLE chain_head ADD PRIMARY KEY (seq);
ALTER TABLE chain_head ADD COLUMN moved_at timestamptz NOT NULL DEFAULT now();

CREATE FUNCTION chain_head_forward_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
DECLARE
    current_seq bigint;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        RAISE EXCEPTION 'chain_head only moves forward: % rejected', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT max(seq) INTO current_seq FROM chain_head;
    IF current_seq IS NOT NULL AND NEW.seq <= current_seq THEN
        RAISE EXCEPTION 'chain_head only moves forward: seq % is not after %', NEW.seq, current_seq
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq AND hash = NEW.hash) THEN
        RAISE EXCEPTION 'chain_head must name a stored entry: no seq % with that hash', NEW.seq
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER chain_head_forward
    BEFORE INSERT OR UPDATE OR DELETE ON chain_head
    FOR EACH ROW EXECUTE FUNCTION chain_head_forward_only();

CREATE FUNCTION chain_head_reject_truncate() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'chain_head only moves forward: TRUNCATE rejected'
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER chain_head_no_truncate
    BEFORE TRUNCATE ON chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION chain_head_reject_truncate();

-- The runtime role: SELECT and INSERT, nothing else, on both tables.
DO
$$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${auditorAppRole}') THEN
        REVOKE ALL ON chain_head FROM "${auditorAppRole}";
        GRANT SELECT, INSERT ON chain_head TO "${auditorAppRole}";
        REVOKE ALL ON audit_log FROM "${auditorAppRole}";
        GRANT SELECT, INSERT ON audit_log TO "${auditorAppRole}";
    END IF;
END
$$;
