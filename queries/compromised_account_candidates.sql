-- name: compromised_account_candidates
-- description: Accounts with more than max_attempts login attempts within window_minutes (sliding), with every source address they used in the period.
-- tables: login_attempts, users
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- param: max_attempts integer = 10
-- param: window_minutes integer = 60
-- column: user_id integer
-- column: username text
-- column: peak_attempts integer
-- column: first_exceeded_at timestamp
-- column: failed_attempts integer
-- column: successful_attempts integer
-- column: distinct_ips integer
-- column: ips text
WITH attempts AS (
    SELECT user_id, client_ip, created_at, success
    FROM login_attempts
    WHERE created_at >= :period_start - :window_minutes * INTERVAL '1 minute'
      AND created_at < :period_end
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
    FROM attempts
),
flagged AS (
    SELECT
        user_id,
        MAX(in_window) AS peak_attempts,
        MIN(CASE WHEN in_window > :max_attempts THEN created_at END) AS first_exceeded_at
    FROM windows
    WHERE created_at >= :period_start
    GROUP BY user_id
    HAVING MAX(in_window) > :max_attempts
),
usage AS (
    SELECT
        a.user_id,
        SUM(CASE WHEN a.success THEN 0 ELSE 1 END) AS failed_attempts,
        SUM(CASE WHEN a.success THEN 1 ELSE 0 END) AS successful_attempts,
        COUNT(DISTINCT a.client_ip) AS distinct_ips,
        STRING_AGG(DISTINCT a.client_ip, ', ' ORDER BY a.client_ip) AS ips
    FROM attempts AS a
    JOIN flagged AS f ON f.user_id = a.user_id
    WHERE a.created_at >= :period_start
    GROUP BY a.user_id
)
SELECT
    f.user_id,
    u.username,
    f.peak_attempts,
    f.first_exceeded_at,
    g.failed_attempts,
    g.successful_attempts,
    g.distinct_ips,
    g.ips
FROM flagged AS f
JOIN usage AS g ON g.user_id = f.user_id
LEFT JOIN users AS u ON u.user_id = f.user_id
ORDER BY f.peak_attempts DESC, f.user_id
