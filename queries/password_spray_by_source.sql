-- name: password_spray_by_source
-- description: Sources whose failed logins within window_minutes (sliding, closed) number at least min_failures and name more than min_usernames distinct user names (anchor: Elastic "Potential Password Spraying Attack via SSH", > 10 names and >= 30 failures per 5-minute bucket).
-- tables: login_attempts
-- state: period
-- note: The window's rows are found through window_minutes-wide time buckets (the window's own and the one before), which keeps the join small on both engines. Elastic counts in fixed 5-minute buckets; this query slides the window, so a burst that straddles a bucket edge is found too and every Elastic hit is also a hit here.
-- param: period_start timestamp
-- param: period_end timestamp
-- param: min_failures integer = 30
-- param: min_usernames integer = 10
-- param: window_minutes integer = 5
-- column: client_ip text
-- column: first_detected_at timestamp
-- column: peak_failures integer
-- column: peak_usernames integer
-- column: failures_in_period integer
-- column: distinct_usernames integer
WITH failures AS (
    SELECT
        client_ip,
        username,
        created_at,
        CAST(FLOOR(EXTRACT(EPOCH FROM created_at) / (:window_minutes * 60)) AS BIGINT) AS bucket
    FROM login_attempts
    WHERE created_at >= :period_start - :window_minutes * INTERVAL '1 minute'
      AND created_at < :period_end
      AND NOT success
      AND client_ip IS NOT NULL
),
ends AS (
    SELECT
        client_ip,
        created_at AS window_end,
        COUNT(*) OVER (
            PARTITION BY client_ip ORDER BY created_at
            RANGE BETWEEN :window_minutes * INTERVAL '1 minute' PRECEDING AND CURRENT ROW
        ) AS in_window
    FROM failures
),
candidates AS (
    SELECT DISTINCT
        client_ip,
        window_end,
        CAST(FLOOR(EXTRACT(EPOCH FROM window_end) / (:window_minutes * 60)) AS BIGINT) AS bucket
    FROM ends
    WHERE in_window >= :min_failures AND window_end >= :period_start
),
probes AS (
    SELECT candidates.*, candidates.bucket - back.buckets AS probe_bucket
    FROM candidates
    CROSS JOIN (VALUES (0), (1)) AS back (buckets)
),
windows AS (
    SELECT
        c.client_ip,
        c.window_end,
        COUNT(*) AS failures,
        COUNT(DISTINCT f.username) AS usernames
    FROM probes AS c
    JOIN failures AS f
      ON f.client_ip = c.client_ip
     AND f.bucket = c.probe_bucket
     AND f.created_at >= c.window_end - :window_minutes * INTERVAL '1 minute'
     AND f.created_at <= c.window_end
    GROUP BY c.client_ip, c.window_end
),
hits AS (
    SELECT
        client_ip,
        MIN(window_end) AS first_detected_at,
        MAX(failures) AS peak_failures,
        MAX(usernames) AS peak_usernames
    FROM windows
    WHERE failures >= :min_failures AND usernames > :min_usernames
    GROUP BY client_ip
),
totals AS (
    SELECT client_ip, COUNT(*) AS failures_in_period, COUNT(DISTINCT username) AS distinct_usernames
    FROM failures
    WHERE created_at >= :period_start
    GROUP BY client_ip
)
SELECT
    h.client_ip,
    h.first_detected_at,
    h.peak_failures,
    h.peak_usernames,
    t.failures_in_period,
    t.distinct_usernames
FROM hits AS h
JOIN totals AS t ON t.client_ip = h.client_ip
ORDER BY h.first_detected_at, h.client_ip
