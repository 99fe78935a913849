-- name: failures_then_success
-- description: Successful logins from a source that had at least min_failures failed logins in the window_minutes before, whatever accounts those failures targeted; one row per source and account that got in (anchors: Wazuh 40112, a success after a brute-force alert from the same source; Elastic's EQL rules need 5 or 25 failures within 5 or 15 s).
-- tables: login_attempts
-- state: period
-- note: Failures are counted strictly before the success, over the closed window [success - window_minutes, success). The row shows the first such success of the account from that source in the period and how many followed.
-- param: period_start timestamp
-- param: period_end timestamp
-- param: min_failures integer = 5
-- param: window_minutes integer = 10
-- column: client_ip text
-- column: username text
-- column: user_id integer
-- column: success_at timestamp
-- column: failures_before integer
-- column: usernames_tried integer
-- column: failures_on_account integer
-- column: first_failure_at timestamp
-- column: successes integer
WITH successes AS (
    SELECT
        id,
        client_ip,
        username,
        user_id,
        created_at,
        CAST(FLOOR(EXTRACT(EPOCH FROM created_at) / (:window_minutes * 60)) AS BIGINT) AS bucket
    FROM login_attempts
    WHERE success
      AND client_ip IS NOT NULL
      AND created_at >= :period_start
      AND created_at < :period_end
),
failures AS (
    SELECT
        client_ip,
        username,
        created_at,
        CAST(FLOOR(EXTRACT(EPOCH FROM created_at) / (:window_minutes * 60)) AS BIGINT) AS bucket
    FROM login_attempts
    WHERE NOT success
      AND client_ip IS NOT NULL
      AND created_at >= :period_start - :window_minutes * INTERVAL '1 minute'
      AND created_at < :period_end
),
probes AS (
    SELECT successes.*, successes.bucket - back.buckets AS probe_bucket
    FROM successes
    CROSS JOIN (VALUES (0), (1)) AS back (buckets)
),
counted AS (
    SELECT
        s.id,
        s.client_ip,
        s.username,
        s.user_id,
        s.created_at,
        COUNT(*) AS failures_before,
        COUNT(DISTINCT f.username) AS usernames_tried,
        SUM(CASE WHEN f.username = s.username THEN 1 ELSE 0 END) AS failures_on_account,
        MIN(f.created_at) AS first_failure_at
    FROM probes AS s
    JOIN failures AS f
      ON f.client_ip = s.client_ip
     AND f.bucket = s.probe_bucket
     AND f.created_at >= s.created_at - :window_minutes * INTERVAL '1 minute'
     AND f.created_at < s.created_at
    GROUP BY s.id, s.client_ip, s.username, s.user_id, s.created_at
    HAVING COUNT(*) >= :min_failures
),
ranked AS (
    SELECT
        counted.*,
        ROW_NUMBER() OVER (
            PARTITION BY client_ip, username ORDER BY created_at, id
        ) AS position,
        COUNT(*) OVER (PARTITION BY client_ip, username) AS successes
    FROM counted
)
SELECT
    client_ip,
    username,
    user_id,
    created_at AS success_at,
    failures_before,
    usernames_tried,
    failures_on_account,
    first_failure_at,
    successes
FROM ranked
WHERE position = 1
ORDER BY success_at, client_ip, username
