-- name: mfa_bypasses
-- description: MFA bypasses (mfa_bypass events) in the period not covered by an approved, time-limited mfa_bypass exception for the account (PCI DSS 8.5.1).
-- tables: audit_log, users, account_exceptions
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: user_id integer
-- column: username text
-- column: bypasses integer
-- column: first_at timestamp
-- column: last_at timestamp
SELECT
    e.user_id,
    u.username,
    COUNT(*) AS bypasses,
    MIN(e.created_at) AS first_at,
    MAX(e.created_at) AS last_at
FROM audit_log AS e
LEFT JOIN users AS u ON u.user_id = e.user_id
WHERE e.event_type = 'mfa_bypass'
  AND e.created_at >= :period_start AND e.created_at < :period_end
  AND NOT EXISTS (
      SELECT 1 FROM account_exceptions AS a
      WHERE a.user_id = e.user_id
        AND a.kind = 'mfa_bypass'
        AND a.approved_by IS NOT NULL
        AND a.approved_by <> COALESCE(a.requested_by, -1)
        AND e.created_at >= a.valid_from AND e.created_at < a.valid_until
  )
GROUP BY e.user_id, u.username
ORDER BY bypasses DESC, e.user_id
