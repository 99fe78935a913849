-- name: unentitled_admin_actions
-- description: Accounts that performed successful admin_action or config_change events in the period while holding no privileged role: the access-control system did not deny by default (PCI DSS 7.3.1-7.3.3).
-- tables: audit_log, users, role_grants, roles
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: user_id integer
-- column: username text
-- column: is_service_account boolean
-- column: actions integer
-- column: first_at timestamp
-- column: last_at timestamp
SELECT
    e.user_id,
    u.username,
    u.is_service_account,
    COUNT(*) AS actions,
    MIN(e.created_at) AS first_at,
    MAX(e.created_at) AS last_at
FROM audit_log AS e
LEFT JOIN users AS u ON u.user_id = e.user_id
WHERE e.event_type IN ('admin_action', 'config_change')
  AND COALESCE(e.outcome, 'success') = 'success'
  AND e.created_at >= :period_start AND e.created_at < :period_end
  AND NOT EXISTS (
      SELECT 1
      FROM role_grants AS g
      JOIN roles AS r ON r.role_id = g.role_id AND r.is_privileged
      WHERE g.user_id = e.user_id
        AND g.granted_at <= e.created_at
        AND (g.revoked_at IS NULL OR g.revoked_at > e.created_at)
  )
GROUP BY e.user_id, u.username, u.is_service_account
ORDER BY actions DESC, e.user_id
