-- Effective dating: HR events of type 'cancel', outcomes 'scheduled' (an event held until its
-- effective time) and 'cancelled'. event_type and outcome carry no CHECK on their values, so no
-- constraint changes; a scheduled outcome's effectiveAt goes to the existing effective_at column
-- (inside the hash like every column; NULL in every outcome stored before).
-- GET /v1/scheduled walks the scheduled outcomes newest first and drops those with a later outcome
-- of the same event (audit_log_event_ix); scheduled outcomes are a small part of the log, so a
-- partial index keeps that walk from scanning every outcome.
CREATE INDEX audit_log_scheduled_ix ON audit_log (seq) WHERE kind = 'provisioning_outcome' AND outcome = 'scheduled';
