-- The service's runtime role needs no more than this: it appends and reads the log, and moves
-- the chain head (SELECT ... FOR UPDATE needs UPDATE on chain_head). It owns nothing, so it
-- can neither drop the triggers nor alter the tables. Skipped when the role does not exist
-- (tests and the local stack connect as the owner); see README.md for creating it.
DO
$$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${auditorAppRole}') THEN
        GRANT SELECT, INSERT ON audit_log TO "${auditorAppRole}";
        GRANT SELECT, UPDATE ON chain_head TO "${auditorAppRole}";
    END IF;
END
$$;
