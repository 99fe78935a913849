-- name: credential_change_events
-- description: Changes to identification and authentication data in the period (accounts created, passwords set, roles granted or revoked) with no matching audit event within match_seconds (PCI DSS 10.2.1.5).
-- tables: users, role_grants, audit_log
-- state: period
-- note: A password change matches a password_changed or password_reset event of the same account; other changes match an event of their type at the same moment, whoever made it.
-- param: period_start timestamp
-- param: period_end timestamp
-- param: match_seconds integer = 60
-- column: change text
-- column: user_id integer
-- column: changed_at timestamp
WITH changes AS (
    SELECT 'account_created' AS change, user_id, created_at AS changed_at
    FROM users
    WHERE created_at >= :period_start AND created_at < :period_end
    UNION ALL
    SELECT 'password_changed', user_id, password_changed_at
    FROM users
    WHERE password_changed_at >= :period_start AND password_changed_at < :period_end
    UNION ALL
    SELECT 'role_granted', user_id, granted_at
    FROM role_grants
    WHERE granted_at >= :period_start AND granted_at < :period_end
    UNION ALL
    SELECT 'role_revoked', user_id, revoked_at
    FROM role_grants
    WHERE revoked_at >= :period_start AND revoked_at < :period_end
),
keyed AS (
    SELECT
        change,
        user_id,
        changed_at,
        CASE WHEN change = 'password_changed' THEN user_id ELSE -1 END AS subject
    FROM changes
),
events AS (
    SELECT
        CASE WHEN event_type = 'password_reset' THEN 'password_changed'
             ELSE event_type END AS change,
        CASE WHEN event_type IN ('password_changed', 'password_reset')
             THEN COALESCE(user_id, -2) ELSE -1 END AS subject,
        created_at
    FROM audit_log
    WHERE event_type IN ('account_created', 'password_changed', 'password_reset',
                         'role_granted', 'role_revoked')
      AND created_at >= :period_start - :match_seconds * INTERVAL '1 second'
      AND created_at < :period_end + :match_seconds * INTERVAL '1 second'
),
matched AS (
    SELECT DISTINCT k.change, k.user_id, k.changed_at
    FROM keyed AS k
    JOIN events AS e ON e.change = k.change AND e.subject = k.subject
    WHERE e.created_at >= k.changed_at - :match_seconds * INTERVAL '1 second'
      AND e.created_at <= k.changed_at + :match_seconds * INTERVAL '1 second'
)
SELECT k.change, k.user_id, k.changed_at
FROM keyed AS k
LEFT JOIN matched AS m
  ON m.change = k.change AND m.user_id = k.user_id AND m.changed_at = k.changed_at
WHERE m.change IS NULL
ORDER BY k.changed_at, k.change, k.user_id
