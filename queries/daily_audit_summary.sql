-- name: daily_audit_summary
-- description: Audit events per day in the report's time zone and event type, with the number of distinct acting users.
-- tables: audit_log
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- param: time_zone text = UTC
-- column: day date
-- column: event_type text
-- column: events integer
-- column: distinct_users integer
SELECT
    CAST(created_at AT TIME ZONE :time_zone AS DATE) AS day,
    event_type,
    COUNT(*) AS events,
    COUNT(DISTINCT user_id) AS distinct_users
FROM audit_log
WHERE created_at >= :period_start AND created_at < :period_end
GROUP BY CAST(created_at AT TIME ZONE :time_zone AS DATE), event_type
ORDER BY day, event_type
