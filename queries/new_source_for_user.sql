-- name: new_source_for_user
-- description: Successful logins of a user from a source absent from that user's successes in the lookback_days before; a user's very first success is not a finding, and failed attempts do not make a source known (anchor: Elastic new_terms rules, history window 10 days for M365 locations, 5 for SSH keys).
-- tables: login_attempts, users, role_grants, roles, audit_log
-- state: period
-- note: With privileged_only (the default) only privileged users are judged: holders of a privileged role during the period, users seen running sudo, and the names in privileged_names. Users are matched by user name.
-- param: period_start timestamp
-- param: period_end timestamp
-- param: lookback_days integer = 10
-- param: privileged_only boolean = true
-- param: privileged_names text = 'root,admin,administrator'
-- column: username text
-- column: user_id integer
-- column: client_ip text
-- column: country text
-- column: login_at timestamp
-- column: previous_ip text
-- column: previous_login_at timestamp
-- column: known_sources integer
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
successes AS (
    SELECT id, username, user_id, client_ip, country, created_at
    FROM login_attempts
    WHERE success
      AND username IS NOT NULL
      AND client_ip IS NOT NULL
      AND created_at >= :period_start - :lookback_days * INTERVAL '1 day'
      AND created_at < :period_end
      AND (
          NOT :privileged_only
          OR username IN (SELECT username FROM privileged)
          OR POSITION(
              ',' || LOWER(username) || ','
              IN ',' || LOWER(REPLACE(:privileged_names, ' ', '')) || ','
          ) > 0
      )
),
seen_before AS (
    SELECT DISTINCT username
    FROM login_attempts
    WHERE success
      AND username IS NOT NULL
      AND client_ip IS NOT NULL
      AND created_at < :period_start - :lookback_days * INTERVAL '1 day'
),
history AS (
    SELECT
        successes.*,
        MIN(created_at) OVER (PARTITION BY username) AS first_in_window,
        LAG(created_at) OVER (
            PARTITION BY username, client_ip ORDER BY created_at, id
        ) AS same_source_before
    FROM successes
),
findings AS (
    SELECT h.*
    FROM history AS h
    WHERE h.created_at >= :period_start
      AND (
          h.first_in_window < h.created_at
          OR h.username IN (SELECT username FROM seen_before)
      )
      AND (
          h.same_source_before IS NULL
          OR h.same_source_before < h.created_at - :lookback_days * INTERVAL '1 day'
      )
),
previous AS (
    SELECT
        f.id,
        s.client_ip AS previous_ip,
        s.created_at AS previous_login_at,
        ROW_NUMBER() OVER (
            PARTITION BY f.id ORDER BY s.created_at DESC, s.id DESC
        ) AS nearest
    FROM findings AS f
    JOIN login_attempts AS s
      ON s.username = f.username
     AND s.success
     AND s.client_ip IS NOT NULL
     AND (s.created_at < f.created_at OR (s.created_at = f.created_at AND s.id < f.id))
)
SELECT
    f.username,
    f.user_id,
    f.client_ip,
    f.country,
    f.created_at AS login_at,
    p.previous_ip,
    p.previous_login_at,
    (
        SELECT COUNT(DISTINCT s.client_ip)
        FROM successes AS s
        WHERE s.username = f.username
          AND s.created_at < f.created_at
          AND s.created_at >= f.created_at - :lookback_days * INTERVAL '1 day'
    ) AS known_sources
FROM findings AS f
LEFT JOIN previous AS p ON p.id = f.id AND p.nearest = 1
ORDER BY login_at, username, client_ip
