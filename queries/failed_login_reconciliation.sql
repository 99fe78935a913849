-- name: failed_login_reconciliation
-- description: Failed login attempts and failed_login audit events per UTC day of the period; a day where the two counts differ means invalid access attempts went unlogged or were logged twice (PCI DSS 10.2.1.4).
-- tables: login_attempts, audit_log
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: day date
-- column: failed_attempts integer
-- column: failed_login_events integer
-- column: is_mismatch boolean
WITH attempts AS (
    SELECT CAST(created_at AT TIME ZONE 'UTC' AS DATE) AS day, COUNT(*) AS failed_attempts
    FROM login_attempts
    WHERE NOT success AND created_at >= :period_start AND created_at < :period_end
    GROUP BY CAST(created_at AT TIME ZONE 'UTC' AS DATE)
),
events AS (
    SELECT CAST(created_at AT TIME ZONE 'UTC' AS DATE) AS day, COUNT(*) AS failed_login_events
    FROM audit_log
    WHERE event_type = 'failed_login'
      AND created_at >= :period_start AND created_at < :period_end
    GROUP BY CAST(created_at AT TIME ZONE 'UTC' AS DATE)
)
SELECT
    COALESCE(a.day, e.day) AS day,
    COALESCE(a.failed_attempts, 0) AS failed_attempts,
    COALESCE(e.failed_login_events, 0) AS failed_login_events,
    COALESCE(a.failed_attempts, 0) <> COALESCE(e.failed_login_events, 0) AS is_mismatch
FROM attempts AS a
FULL OUTER JOIN events AS e ON e.day = a.day
ORDER BY day
