-- name: event_detail_completeness
-- description: Audit events of the period per type, and how many lack one of the six details PCI DSS 10.2.2 requires (user, type, time, outcome, origin, affected resource).
-- tables: audit_log
-- state: period
-- note: A failed_login event without an account is not counted as lacking the user: the name typed is in login_attempts, which 10.2.1.4 reconciles with the log. Type and time cannot be missing from an event of the period.
-- param: period_start timestamp
-- param: period_end timestamp
-- column: event_type text
-- column: events integer
-- column: missing_user integer
-- column: missing_outcome integer
-- column: missing_origin integer
-- column: missing_resource integer
-- column: incomplete integer
SELECT
    event_type,
    COUNT(*) AS events,
    COUNT(*) FILTER (WHERE user_id IS NULL AND event_type <> 'failed_login') AS missing_user,
    COUNT(*) FILTER (WHERE outcome IS NULL) AS missing_outcome,
    COUNT(*) FILTER (WHERE actor_ip IS NULL) AS missing_origin,
    COUNT(*) FILTER (WHERE resource IS NULL) AS missing_resource,
    COUNT(*) FILTER (
        WHERE (user_id IS NULL AND event_type <> 'failed_login')
           OR outcome IS NULL OR actor_ip IS NULL OR resource IS NULL
    ) AS incomplete
FROM audit_log
WHERE created_at >= :period_start AND created_at < :period_end
GROUP BY event_type
ORDER BY incomplete DESC, event_type
