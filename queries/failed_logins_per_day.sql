-- name: failed_logins_per_day
-- description: Failed login attempts per day in the report's time zone, with distinct accounts and source addresses.
-- tables: login_attempts
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- param: time_zone text = UTC
-- column: day date
-- column: failed_attempts integer
-- column: distinct_users integer
-- column: distinct_usernames integer
-- column: distinct_ips integer
SELECT
    CAST(created_at AT TIME ZONE :time_zone AS DATE) AS day,
    COUNT(*) AS failed_attempts,
    COUNT(DISTINCT user_id) AS distinct_users,
    COUNT(DISTINCT username) AS distinct_usernames,
    COUNT(DISTINCT client_ip) AS distinct_ips
FROM login_attempts
WHERE created_at >= :period_start AND created_at < :period_end
  AND NOT success
GROUP BY CAST(created_at AT TIME ZONE :time_zone AS DATE)
ORDER BY day
