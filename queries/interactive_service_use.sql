-- name: interactive_service_use
-- description: Application and system accounts used in interactive sessions in the period outside an approved interactive_use exception window (PCI DSS 8.6.1).
-- tables: users, sessions, account_exceptions
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: user_id integer
-- column: username text
-- column: sessions integer
-- column: first_at timestamp
-- column: last_at timestamp
SELECT
    u.user_id,
    u.username,
    COUNT(*) AS sessions,
    MIN(s.started_at) AS first_at,
    MAX(s.started_at) AS last_at
FROM sessions AS s
JOIN users AS u ON u.user_id = s.user_id AND u.is_service_account
WHERE s.is_interactive
  AND s.started_at >= :period_start AND s.started_at < :period_end
  AND NOT EXISTS (
      SELECT 1 FROM account_exceptions AS a
      WHERE a.user_id = u.user_id
        AND a.kind = 'interactive_use'
        AND a.approved_by IS NOT NULL
        AND a.approved_by <> COALESCE(a.requested_by, -1)
        AND s.started_at >= a.valid_from AND s.started_at < a.valid_until
  )
GROUP BY u.user_id, u.username
ORDER BY sessions DESC, u.user_id
