-- name: pan_unmasked_views
-- description: Full-PAN displays (pan_unmasked events) in the period by accounts that held no role with the view_full_pan permission at that moment (PCI DSS 3.4.1).
-- tables: audit_log, users, role_grants, role_permissions
-- state: period
-- note: Every other display must be masked to at most the BIN and last four digits; the application records an unmasked display as event type pan_unmasked.
-- param: period_start timestamp
-- param: period_end timestamp
-- column: user_id integer
-- column: username text
-- column: displays integer
-- column: first_at timestamp
-- column: last_at timestamp
SELECT
    e.user_id,
    u.username,
    COUNT(*) AS displays,
    MIN(e.created_at) AS first_at,
    MAX(e.created_at) AS last_at
FROM audit_log AS e
LEFT JOIN users AS u ON u.user_id = e.user_id
WHERE e.event_type = 'pan_unmasked'
  AND e.created_at >= :period_start AND e.created_at < :period_end
  AND NOT EXISTS (
      SELECT 1
      FROM role_grants AS g
      JOIN role_permissions AS p ON p.role_id = g.role_id
      WHERE g.user_id = e.user_id
        AND p.permission = 'view_full_pan'
        AND g.granted_at <= e.created_at
        AND (g.revoked_at IS NULL OR g.revoked_at > e.created_at)
  )
GROUP BY e.user_id, u.username
ORDER BY displays DESC, e.user_id
