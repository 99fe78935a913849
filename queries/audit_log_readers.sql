-- name: audit_log_readers
-- description: Accounts that read or exported the audit log in the period without holding a role with the audit_read permission at that moment (PCI DSS 10.3.1).
-- tables: audit_log, users, role_grants, role_permissions
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: user_id integer
-- column: username text
-- column: accesses integer
-- column: first_at timestamp
-- column: last_at timestamp
SELECT
    e.user_id,
    u.username,
    COUNT(*) AS accesses,
    MIN(e.created_at) AS first_at,
    MAX(e.created_at) AS last_at
FROM audit_log AS e
LEFT JOIN users AS u ON u.user_id = e.user_id
WHERE e.event_type IN ('audit_log_read', 'audit_log_export')
  AND e.created_at >= :period_start AND e.created_at < :period_end
  AND NOT EXISTS (
      SELECT 1
      FROM role_grants AS g
      JOIN role_permissions AS p ON p.role_id = g.role_id
      WHERE g.user_id = e.user_id
        AND p.permission = 'audit_read'
        AND g.granted_at <= e.created_at
        AND (g.revoked_at IS NULL OR g.revoked_at > e.created_at)
  )
GROUP BY e.user_id, u.username
ORDER BY accesses DESC, e.user_id
