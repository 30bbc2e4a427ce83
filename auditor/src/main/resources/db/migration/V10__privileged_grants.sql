-- Privileged grants: an IAM change adding a user to a group the role mapping marks privileged is an
-- entry of its own kind, 'privileged_grant', with the columns of an iam_change and the mapping's
-- reason in the existing reason column (inside the hash like every column). No column is added and
-- no row is rewritten: the constraints are replaced (validated by a scan, not an UPDATE, so the
-- append-only triggers are not involved) and the grants of V2 cover the same table.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_kind_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_kind_check
    CHECK (kind IN ('hr_event', 'iam_change', 'provisioning_outcome', 'privileged_grant'));
ALTER TABLE audit_log ADD CONSTRAINT audit_log_privileged_grant_check
    CHECK (kind <> 'privileged_grant'
           OR (change_id IS NOT NULL AND action IS NOT NULL AND status IS NOT NULL AND reason IS NOT NULL));
-- Idempotency as for iam_change (a change id once per status); the writer checks both kinds.
CREATE UNIQUE INDEX audit_log_privileged_grant_uk ON audit_log (change_id, status) WHERE kind = 'privileged_grant';
-- GET /v1/changes?kind=privileged_grant: grants are rare, a partial index keeps the walk short.
CREATE INDEX audit_log_privileged_grant_ix ON audit_log (seq) WHERE kind = 'privileged_grant';
