-- Outbound notifications (roster.notify.*): an outbox written in the same transaction as the fact
-- it announces, and one row per notification once it was delivered or given up. Append-only like
-- the reconciliation and review tables: nothing is updated; a notification is pending while it has
-- no delivery row (see README.md, "Notifications"). Nothing is written while notifications are off.

CREATE TABLE notification_outbox (
    seq              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- the fact announced (cut-off:<eventId>:<outcome>, reconciliation-held:<id>,
    -- new-finding:<findingId>): announced once, and sent as notificationId for receivers to
    -- deduplicate a repeated delivery
    notification_id  text        NOT NULL UNIQUE,
    kind             text        NOT NULL CHECK (kind IN ('cut-off-failed', 'cut-off-unverified',
                         'reconciliation-held', 'new-finding')),
    event_id         text,
    -- the JSON body as sent (signed at each attempt, so the signature's t is fresh)
    body             text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE notification_delivery (
    seq              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    outbox_seq       bigint      NOT NULL UNIQUE REFERENCES notification_outbox (seq),
    result           text        NOT NULL CHECK (result IN ('delivered', 'abandoned')),
    attempts         integer     NOT NULL CHECK (attempts > 0),
    -- the receiver's last HTTP status (null: no answer)
    status_code      integer,
    recorded_at      timestamptz NOT NULL DEFAULT now()
);

-- Append-only, enforced by the database for everyone (superusers included); the function of V7.
CREATE TRIGGER notification_outbox_no_update_delete
    BEFORE UPDATE OR DELETE ON notification_outbox
    FOR EACH ROW EXECUTE FUNCTION reconciliation_reject_change();
CREATE TRIGGER notification_outbox_no_truncate
    BEFORE TRUNCATE ON notification_outbox
    FOR EACH STATEMENT EXECUTE FUNCTION reconciliation_reject_change();
CREATE TRIGGER notification_delivery_no_update_delete
    BEFORE UPDATE OR DELETE ON notification_delivery
    FOR EACH ROW EXECUTE FUNCTION reconciliation_reject_change();
CREATE TRIGGER notification_delivery_no_truncate
    BEFORE TRUNCATE ON notification_delivery
    FOR EACH STATEMENT EXECUTE FUNCTION reconciliation_reject_change();

-- The runtime role: SELECT and INSERT, nothing else (identity columns need no sequence grant).
DO
$$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${auditorAppRole}') THEN
        GRANT SELECT, INSERT ON notification_outbox TO "${auditorAppRole}";
        GRANT SELECT, INSERT ON notification_delivery TO "${auditorAppRole}";
    END IF;
END
$$;
