-- name: credential_stuffing_by_source
-- description: Sources with at least min_attempts login attempts on at least min_usernames distinct user names and at most max_per_user attempts per name, within window_minutes (sliding, closed) (anchor: Elastic "Potential Okta Credential Stuffing (Single Source)": >= 25 attempts, >= 15 users, <= 2 per user in 15 minutes).
-- tables: login_attempts
-- state: period
-- note: Elastic counts failed attempts only; this query counts successes too, so a stuffing run that works is not hidden by its own successes (they are shown in successes_in_window).
-- param: period_start timestamp
-- param: period_end timestamp
-- param: min_attempts integer = 25
-- param: min_usernames integer = 15
-- param: max_per_user integer = 2
-- param: window_minutes integer = 15
-- column: client_ip text
-- column: first_detected_at timestamp
-- column: peak_attempts integer
-- column: peak_usernames integer
-- column: successes_in_window integer
-- column: attempts_in_period integer
WITH attempts AS (
    SELECT
        client_ip,
        username,
        created_at,
        success,
        CAST(FLOOR(EXTRACT(EPOCH FROM created_at) / (:window_minutes * 60)) AS BIGINT) AS bucket
    FROM login_attempts
    WHERE created_at >= :period_start - :window_minutes * INTERVAL '1 minute'
      AND created_at < :period_end
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
    FROM attempts
),
candidates AS (
    SELECT DISTINCT
        client_ip,
        window_end,
        CAST(FLOOR(EXTRACT(EPOCH FROM window_end) / (:window_minutes * 60)) AS BIGINT) AS bucket
    FROM ends
    WHERE in_window >= :min_attempts AND window_end >= :period_start
),
probes AS (
    SELECT candidates.*, candidates.bucket - back.buckets AS probe_bucket
    FROM candidates
    CROSS JOIN (VALUES (0), (1)) AS back (buckets)
),
per_user AS (
    SELECT
        c.client_ip,
        c.window_end,
        a.username,
        COUNT(*) AS tries,
        SUM(CASE WHEN a.success THEN 1 ELSE 0 END) AS successes
    FROM probes AS c
    JOIN attempts AS a
      ON a.client_ip = c.client_ip
     AND a.bucket = c.probe_bucket
     AND a.created_at >= c.window_end - :window_minutes * INTERVAL '1 minute'
     AND a.created_at <= c.window_end
    GROUP BY c.client_ip, c.window_end, a.username
),
windows AS (
    SELECT
        client_ip,
        window_end,
        SUM(tries) AS attempts,
        COUNT(username) AS usernames,
        MAX(tries) AS most_per_user,
        SUM(successes) AS successes
    FROM per_user
    GROUP BY client_ip, window_end
),
hits AS (
    SELECT
        client_ip,
        MIN(window_end) AS first_detected_at,
        MAX(attempts) AS peak_attempts,
        MAX(usernames) AS peak_usernames,
        MAX(successes) AS successes_in_window
    FROM windows
    WHERE attempts >= :min_attempts
      AND usernames >= :min_usernames
      AND most_per_user <= :max_per_user
    GROUP BY client_ip
),
totals AS (
    SELECT client_ip, COUNT(*) AS attempts_in_period
    FROM attempts
    WHERE created_at >= :period_start
    GROUP BY client_ip
)
SELECT
    h.client_ip,
    h.first_detected_at,
    h.peak_attempts,
    h.peak_usernames,
    h.successes_in_window,
    t.attempts_in_period
FROM hits AS h
JOIN totals AS t ON t.client_ip = h.client_ip
ORDER BY h.first_detected_at, h.client_ip
