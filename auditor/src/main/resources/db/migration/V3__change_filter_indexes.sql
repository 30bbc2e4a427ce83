-- Filters auditors combine on /v1/changes, each a keyset scan (seq DESC) on a narrow index.
-- Without them, "every PutUserPolicy in prod" walked all IAM changes (bench: p99 1.5 s in raw SQL
-- at one million entries). Partial on kind, so HR events and outcomes do not pay for them.
CREATE INDEX audit_log_change_account_action_ix ON audit_log (account, action, seq) WHERE kind = 'iam_change';
CREATE INDEX audit_log_change_action_ix ON audit_log (action, seq) WHERE kind = 'iam_change';
-- Failed changes are rare and are what an auditor looks for first ("was any access left open?").
CREATE INDEX audit_log_change_failed_ix ON audit_log (seq) WHERE kind = 'iam_change' AND status = 'failed';
