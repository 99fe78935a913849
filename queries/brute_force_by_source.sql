-- name: brute_force_by_source
-- description: Sources with at least min_failures failed logins within window_minutes, sliding and closed (anchor: fail2ban's sshd jail, maxretry 5 and findtime 10 min; Wazuh 5763 counts 8 in 120 s), and whether a login from the source succeeded afterwards.
-- tables: login_attempts
-- state: period
-- note: Every failed attempt counts, whatever the account or method; a source is an address or host name as stored (IPv4-mapped IPv6 already folded into IPv4). The window may start before the period, so a burst at midnight on the 1st is seen whole. A success from the source at or after the first time it reached min_failures, before the period end, is a possible takeover (Wazuh 40112 looks for one within 240 s). Password spraying is password_spray_by_source.
-- param: period_start timestamp
-- param: period_end timestamp
-- param: min_failures integer = 5
-- param: window_minutes integer = 10
-- column: client_ip text
-- column: peak_failures integer
-- column: first_exceeded_at timestamp
-- column: failures_in_period integer
-- column: distinct_usernames integer
-- column: first_failure_at timestamp
-- column: last_failure_at timestamp
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
        COUNT(DISTINCT username) AS distinct_usernames,
        MIN(created_at) AS first_failure_at,
        MAX(created_at) AS last_failure_at
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
    f.peak_failures,
    f.first_exceeded_at,
    f.failures_in_period,
    f.distinct_usernames,
    f.first_failure_at,
    f.last_failure_at,
    l.first_success_after_at IS NOT NULL AS succeeded_after,
    l.first_success_after_at
FROM flagged AS f
LEFT JOIN later_success AS l ON l.client_ip = f.client_ip
ORDER BY f.failures_in_period DESC, f.client_ip
