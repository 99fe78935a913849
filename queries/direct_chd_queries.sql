-- name: direct_chd_queries
-- description: Direct queries (db_query events) in the period on stores the data inventory lists as holding card data, by accounts without a role carrying the direct_db_chd permission at that moment (PCI DSS 7.2.6).
-- tables: audit_log, users, data_inventory, role_grants, role_permissions
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: user_id integer
-- column: username text
-- column: store text
-- column: queries integer
-- column: first_at timestamp
-- column: last_at timestamp
SELECT
    e.user_id,
    u.username,
    e.resource AS store,
    COUNT(*) AS queries,
    MIN(e.created_at) AS first_at,
    MAX(e.created_at) AS last_at
FROM audit_log AS e
LEFT JOIN users AS u ON u.user_id = e.user_id
WHERE e.event_type = 'db_query'
  AND e.created_at >= :period_start AND e.created_at < :period_end
  AND e.resource IN (SELECT store FROM data_inventory WHERE data_class IN ('pan', 'sad'))
  AND NOT EXISTS (
      SELECT 1
      FROM role_grants AS g
      JOIN role_permissions AS p ON p.role_id = g.role_id
      WHERE g.user_id = e.user_id
        AND p.permission = 'direct_db_chd'
        AND g.granted_at <= e.created_at
        AND (g.revoked_at IS NULL OR g.revoked_at > e.created_at)
  )
GROUP BY e.user_id, u.username, e.resource
ORDER BY queries DESC, e.user_id, store
