-- name: brute_force_by_ip
-- description: Source addresses with at least min_failures failed logins within window_minutes (sliding, as fail2ban's sshd jail), classed as password spraying when they tried more than spray_min_users names with at most spray_max_tries failures per name on average.
-- tables: login_attempts
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- param: min_failures integer = 5
-- param: window_minutes integer = 10
-- param: spray_min_users integer = 10
-- param: spray_max_tries integer = 3
-- column: client_ip text
-- column: pattern text
-- column: peak_failures integer
-- column: first_exceeded_at timestamp
-- column: failures_in_period integer
-- column: distinct_usernames integer
-- column: succeeded_after boolean
-- column: first_success_after_at timestamp
WITH failures AS (
    SELECT client_ip, username, created_at
    FROM login_attempts
    WHERE created_at >= :period_start - :window_minutes * INTERVAL '1 minute'
      AND created_at < :period_end
      AND NOT success
      AND client_ip IS NOT NULL
),
windows AS (
    SELECT
        client_ip,
        username,
        created_at,
        COUNT(*) OVER (
            PARTITION BY client_ip ORDER BY created_at
            RANGE BETWEEN :window_minutes * INTERVAL '1 minute' PRECEDING AND CURRENT ROW
        ) AS in_window
    FROM failures
),
flagged AS (
    SELECT
        client_ip,
        MAX(in_window) AS peak_failures,
        MIN(CASE WHEN in_window >= :min_failures THEN created_at END) AS first_exceeded_at,
        COUNT(*) AS failures_in_period,
        COUNT(DISTINCT username) AS distinct_usernames
    FROM windows
    WHERE created_at >= :period_start
    GROUP BY client_ip
    HAVING MAX(in_window) >= :min_failures
),
later_success AS (
    SELECT f.client_ip, MIN(s.created_at) AS first_success_after_at
    FROM flagged AS f
    JOIN login_attempts AS s
      ON s.client_ip = f.client_ip
     AND s.success
     AND s.created_at >= f.first_exceeded_at
     AND s.created_at < :period_end
    GROUP BY f.client_ip
)
SELECT
    f.client_ip,
    CASE WHEN f.distinct_usernames > :spray_min_users
          AND f.failures_in_period <= :spray_max_tries * f.distinct_usernames
         THEN 'password_spray' ELSE 'brute_force' END AS pattern,
    f.peak_failures,
    f.first_exceeded_at,
    f.failures_in_period,
    f.distinct_usernames,
    l.first_success_after_at IS NOT NULL AS succeeded_after,
    l.first_success_after_at
FROM flagged AS f
LEFT JOIN later_success AS l ON l.client_ip = f.client_ip
ORDER BY f.failures_in_period DESC, f.client_ip
