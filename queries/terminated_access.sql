-- name: terminated_access
-- description: People who left (terminated_at before the period end) whose account is still enabled, or who logged in successfully after leaving during the period (PCI DSS 8.2.5).
-- tables: users, login_attempts
-- state: period_end
-- note: PCI DSS sets no number for "immediately"; the account status is the current state, so a termination not yet acted on shows as still enabled.
-- param: period_start timestamp
-- param: period_end timestamp
-- column: user_id integer
-- column: username text
-- column: status text
-- column: terminated_at timestamp
-- column: logins_after integer
-- column: last_login_after timestamp
-- column: problem text
WITH left_staff AS (
    SELECT
        u.user_id,
        u.username,
        u.status,
        u.terminated_at,
        COUNT(l.id) AS logins_after,
        MAX(l.created_at) AS last_login_after
    FROM users AS u
    LEFT JOIN login_attempts AS l
      ON l.user_id = u.user_id AND l.success
     AND l.created_at > u.terminated_at
     AND l.created_at >= :period_start AND l.created_at < :period_end
    WHERE u.terminated_at < :period_end
    GROUP BY u.user_id, u.username, u.status, u.terminated_at
)
SELECT
    user_id,
    username,
    status,
    terminated_at,
    logins_after,
    last_login_after,
    CASE
        WHEN logins_after > 0 THEN 'logged in after leaving'
        ELSE 'account still enabled'
    END AS problem
FROM left_staff
WHERE logins_after > 0 OR status IN ('active', 'locked')
ORDER BY logins_after DESC, user_id
