-- The outcome contract's additions: when the deny-all was in place in the last concerned account
-- (NULL when not everywhere, or for outcomes published before the field existed), and what
-- happened per account, as the canonical JSON array the chain hashes (text, not jsonb: jsonb
-- would reorder keys and the stored bytes must be the hashed bytes).
-- Adding nullable columns rewrites no row, so the append-only triggers are not involved.
ALTER TABLE audit_log ADD COLUMN cut_off_at timestamptz;
ALTER TABLE audit_log ADD COLUMN accounts text;
