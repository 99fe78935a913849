-- name: chd_access_attribution
-- description: Accesses in the period to stores the data inventory lists as holding card data, and how many name no known individual account (PCI DSS 10.2.1.1).
-- tables: audit_log, data_inventory, users
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: store text
-- column: accesses integer
-- column: unattributed integer
SELECT
    e.resource AS store,
    COUNT(*) AS accesses,
    COUNT(*) FILTER (WHERE u.user_id IS NULL) AS unattributed
FROM audit_log AS e
LEFT JOIN users AS u ON u.user_id = e.user_id
WHERE e.event_type IN ('data_access', 'db_query', 'pan_unmasked')
  AND e.created_at >= :period_start AND e.created_at < :period_end
  AND e.resource IN (SELECT store FROM data_inventory WHERE data_class IN ('pan', 'sad'))
GROUP BY e.resource
ORDER BY unattributed DESC, store
