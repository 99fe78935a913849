-- name: off_hours_privileged_logins
-- description: Successful logins by privileged users outside business hours (business_start to business_end in time_zone) or, with weekends_off, on a Saturday or Sunday (anchor: Wazuh 17101, 18:00 to 08:30, and 17102, weekends, judged here on the event's own time rather than the manager's clock).
-- tables: login_attempts, users, role_grants, roles, audit_log
-- state: period
-- note: Privileged users are holders of a privileged role during the period, users seen running sudo, and the names in privileged_names. Hours are compared in time_zone (an IANA name), so the rule follows daylight-saving time.
-- param: period_start timestamp
-- param: period_end timestamp
-- param: business_start text = '08:30'
-- param: business_end text = '18:00'
-- param: time_zone text = 'UTC'
-- param: weekends_off boolean = true
-- param: privileged_names text = 'root,admin,administrator'
-- column: username text
-- column: user_id integer
-- column: client_ip text
-- column: login_at timestamp
-- column: local_time text
-- column: reason text
WITH privileged AS (
    SELECT u.username
    FROM users AS u
    JOIN role_grants AS g ON g.user_id = u.user_id
    JOIN roles AS r ON r.role_id = g.role_id
    WHERE r.is_privileged
      AND g.granted_at < :period_end
      AND (g.revoked_at IS NULL OR g.revoked_at > :period_start)
    UNION
    SELECT resource
    FROM audit_log
    WHERE event_type = 'sudo_command' AND created_at < :period_end
),
logins AS (
    SELECT
        l.username,
        l.user_id,
        l.client_ip,
        l.created_at,
        l.created_at AT TIME ZONE :time_zone AS local_at
    FROM login_attempts AS l
    WHERE l.success
      AND l.username IS NOT NULL
      AND l.created_at >= :period_start
      AND l.created_at < :period_end
      AND (
          l.username IN (SELECT username FROM privileged)
          OR POSITION(
              ',' || LOWER(l.username) || ','
              IN ',' || LOWER(REPLACE(:privileged_names, ' ', '')) || ','
          ) > 0
      )
),
judged AS (
    SELECT
        logins.*,
        CASE
            WHEN :weekends_off AND EXTRACT(ISODOW FROM local_at) IN (6, 7) THEN 'weekend'
            WHEN CAST(local_at AS TIME) < CAST(:business_start AS TIME) THEN 'before hours'
            WHEN CAST(local_at AS TIME) >= CAST(:business_end AS TIME) THEN 'after hours'
        END AS reason
    FROM logins
)
SELECT
    username,
    user_id,
    client_ip,
    created_at AS login_at,
    CAST(local_at AS VARCHAR) AS local_time,
    reason
FROM judged
WHERE reason IS NOT NULL
ORDER BY login_at, username
