-- name: dormant_accounts
-- description: Enabled accounts (active or locked) with no successful login for more than max_inactive_days before the end of the period; never-used accounts count from their creation.
-- tables: users, login_attempts
-- state: period_end
-- note: Last activity is the latest success recorded in login_attempts before the period end, or users.last_login_at when that is earlier than the period end; account status is the current state.
-- param: period_end timestamp
-- param: max_inactive_days integer = 90
-- column: user_id integer
-- column: username text
-- column: status text
-- column: created_at timestamp
-- column: last_activity_at timestamp
-- column: days_inactive integer
WITH last_success AS (
    SELECT user_id, MAX(created_at) AS last_success_at
    FROM login_attempts
    WHERE success AND created_at < :period_end AND user_id IS NOT NULL
    GROUP BY user_id
),
activity AS (
    SELECT
        u.user_id,
        u.username,
        u.status,
        u.created_at,
        GREATEST(
            s.last_success_at,
            CASE WHEN u.last_login_at < :period_end THEN u.last_login_at END
        ) AS last_activity_at
    FROM users AS u
    LEFT JOIN last_success AS s ON s.user_id = u.user_id
    WHERE u.status IN ('active', 'locked')
      AND u.created_at < :period_end
)
SELECT
    user_id,
    username,
    status,
    created_at,
    last_activity_at,
    CAST(:period_end AS DATE)
        - CAST(COALESCE(last_activity_at, created_at) AT TIME ZONE 'UTC' AS DATE)
        AS days_inactive
FROM activity
WHERE COALESCE(last_activity_at, created_at)
      < :period_end - :max_inactive_days * INTERVAL '1 day'
ORDER BY days_inactive DESC, user_id
