-- name: logins_to_inactive_accounts
-- description: Successful logins to accounts that should not log in: terminated (at or after terminated_at), disabled, locked (after a lockout event with no unlock and less than lock_minutes ago), or dormant (used again after no success for dormant_days) (anchors: PCI DSS 8.2.5 and 8.2.6, 90 days; CIS Controls 5.3, 45 days; Elastic ML "Rare User Logon").
-- tables: login_attempts, users, audit_log
-- state: period
-- note: users.status is the account's state now: a login to an account disabled after the login is also listed; terminated accounts are judged by terminated_at when it is set. Accounts are matched by user_id, else by user name; a lock is an account_locked event whose resource names the account (as ingestion writes it; an application's audit_log.user_id is the actor, not the locked account); a log-only user with no users row can only be found dormant. An account's first recorded success is never dormant: a login history that starts later than the account cannot tell. is_closed_account marks the logins to terminated, disabled or locked accounts; dormant ones are for review.
-- param: period_start timestamp
-- param: period_end timestamp
-- param: dormant_days integer = 90
-- param: lock_minutes integer = 30
-- column: username text
-- column: user_id integer
-- column: client_ip text
-- column: login_at timestamp
-- column: reason text
-- column: account_status text
-- column: previous_success_at timestamp
-- column: days_inactive integer
-- column: is_closed_account boolean
WITH successes AS (
    SELECT
        l.id,
        l.username,
        COALESCE(l.user_id, u.user_id) AS user_id,
        l.client_ip,
        l.created_at,
        LAG(l.created_at) OVER (
            PARTITION BY COALESCE(CAST(COALESCE(l.user_id, u.user_id) AS VARCHAR), l.username)
            ORDER BY l.created_at, l.id
        ) AS previous_success_at
    FROM login_attempts AS l
    LEFT JOIN (
        SELECT username, MIN(user_id) AS user_id FROM users GROUP BY username
    ) AS u ON l.user_id IS NULL AND u.username = l.username
    WHERE l.success AND l.created_at < :period_end
),
locks AS (
    SELECT
        s.id,
        MAX(CASE WHEN a.event_type = 'account_locked' THEN a.created_at END) AS locked_at,
        MAX(CASE WHEN a.event_type = 'account_unlocked' THEN a.created_at END)
            AS unlocked_at
    FROM successes AS s
    JOIN audit_log AS a
      ON a.resource = s.username
     AND a.event_type IN ('account_locked', 'account_unlocked')
     AND a.created_at <= s.created_at
     AND a.created_at >= s.created_at - :lock_minutes * INTERVAL '1 minute'
    WHERE s.created_at >= :period_start
    GROUP BY s.id
),
judged AS (
    SELECT
        s.*,
        u.status AS account_status,
        CASE
            WHEN u.terminated_at IS NOT NULL AND u.terminated_at <= s.created_at
                THEN 'terminated'
            WHEN u.terminated_at IS NULL AND u.status = 'terminated' THEN 'terminated'
            WHEN u.status = 'disabled' THEN 'disabled'
            WHEN k.locked_at IS NOT NULL
             AND (k.unlocked_at IS NULL OR k.unlocked_at < k.locked_at) THEN 'locked'
            WHEN s.previous_success_at < s.created_at - :dormant_days * INTERVAL '1 day'
                THEN 'dormant'
        END AS reason,
        s.previous_success_at AS inactive_since
    FROM successes AS s
    LEFT JOIN users AS u ON u.user_id = s.user_id
    LEFT JOIN locks AS k ON k.id = s.id
    WHERE s.created_at >= :period_start
)
SELECT
    username,
    user_id,
    client_ip,
    created_at AS login_at,
    reason,
    account_status,
    previous_success_at,
    CAST(created_at AT TIME ZONE 'UTC' AS DATE)
        - CAST(inactive_since AT TIME ZONE 'UTC' AS DATE) AS days_inactive,
    reason <> 'dormant' AS is_closed_account
FROM judged
WHERE reason IS NOT NULL
ORDER BY login_at, username
