-- GET /v1/changes without kind lists iam_change and privileged_grant together. The V3 indexes,
-- partial on kind = 'iam_change' alone, cannot serve kind IN (both), so "every PutUserPolicy in
-- prod" walked the log again. Rebuilt partial on both kinds; a query on one kind still uses them
-- (kind = 'iam_change' implies kind IN (both)).
CREATE INDEX audit_log_changes_account_action_ix ON audit_log (account, action, seq)
    WHERE kind IN ('iam_change', 'privileged_grant');
CREATE INDEX audit_log_changes_action_ix ON audit_log (action, seq)
    WHERE kind IN ('iam_change', 'privileged_grant');
CREATE INDEX audit_log_changes_failed_ix ON audit_log (seq)
    WHERE kind IN ('iam_change', 'privileged_grant') AND status = 'failed';
DROP INDEX audit_log_change_account_action_ix;
DROP INDEX audit_log_change_action_ix;
DROP INDEX audit_log_change_failed_ix;
