-- name: admin_event_attribution
-- description: Administrative events in the period (admin actions, configuration, role and account changes) per type, and how many name no known account (PCI DSS 10.2.1.2).
-- tables: audit_log, users
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: event_type text
-- column: events integer
-- column: unattributed integer
SELECT
    e.event_type,
    COUNT(*) AS events,
    COUNT(*) FILTER (WHERE u.user_id IS NULL) AS unattributed
FROM audit_log AS e
LEFT JOIN users AS u ON u.user_id = e.user_id
WHERE e.event_type IN ('admin_action', 'config_change', 'role_granted', 'role_revoked',
                       'account_created', 'account_disabled', 'account_deleted')
  AND e.created_at >= :period_start AND e.created_at < :period_end
GROUP BY e.event_type
ORDER BY unattributed DESC, e.event_type
