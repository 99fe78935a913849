-- name: audit_log_reads
-- description: Reads and exports of the audit log in the period per acting account, as the log itself records them (PCI DSS 10.2.1.3); nexus_audit's own reads are listed in its run record.
-- tables: audit_log, users
-- state: period
-- note: nexus_audit reads the audit log without writing to the audited database; the report's run record says who ran it, when and which queries read which tables, so these rows can be reconciled with it.
-- param: period_start timestamp
-- param: period_end timestamp
-- column: user_id integer
-- column: username text
-- column: reads integer
-- column: exports integer
-- column: unattributed integer
-- column: first_at timestamp
-- column: last_at timestamp
SELECT
    e.user_id,
    u.username,
    COUNT(*) FILTER (WHERE e.event_type = 'audit_log_read') AS reads,
    COUNT(*) FILTER (WHERE e.event_type = 'audit_log_export') AS exports,
    COUNT(*) FILTER (WHERE u.user_id IS NULL OR e.actor_ip IS NULL) AS unattributed,
    MIN(e.created_at) AS first_at,
    MAX(e.created_at) AS last_at
FROM audit_log AS e
LEFT JOIN users AS u ON u.user_id = e.user_id
WHERE e.event_type IN ('audit_log_read', 'audit_log_export')
  AND e.created_at >= :period_start AND e.created_at < :period_end
GROUP BY e.user_id, u.username
ORDER BY unattributed DESC, e.user_id
