-- name: suspicious_activity
-- description: Users with more than max_events failed_login or permission_denied events within window_minutes (sliding, closed window).
-- tables: audit_log, users
-- state: period
-- note: Windows end inside the period; events up to window_minutes before its start are read so a burst at midnight on the 1st is seen whole.
-- param: period_start timestamp
-- param: period_end timestamp
-- param: max_events integer = 5
-- param: window_minutes integer = 60
-- column: user_id integer
-- column: username text
-- column: peak_events integer
-- column: first_exceeded_at timestamp
-- column: events_in_period integer
WITH events AS (
    SELECT user_id, created_at
    FROM audit_log
    WHERE created_at >= :period_start - :window_minutes * INTERVAL '1 minute'
      AND created_at < :period_end
      AND event_type IN ('failed_login', 'permission_denied')
      AND user_id IS NOT NULL
),
windows AS (
    SELECT
        user_id,
        created_at,
        COUNT(*) OVER (
            PARTITION BY user_id ORDER BY created_at
            RANGE BETWEEN :window_minutes * INTERVAL '1 minute' PRECEDING AND CURRENT ROW
        ) AS in_window
    FROM events
)
SELECT
    w.user_id,
    u.username,
    MAX(w.in_window) AS peak_events,
    MIN(CASE WHEN w.in_window > :max_events THEN w.created_at END) AS first_exceeded_at,
    COUNT(*) AS events_in_period
FROM windows AS w
LEFT JOIN users AS u ON u.user_id = w.user_id
WHERE w.created_at >= :period_start
GROUP BY w.user_id, u.username
HAVING MAX(w.in_window) > :max_events
ORDER BY peak_events DESC, w.user_id
