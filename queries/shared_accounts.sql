-- name: shared_accounts
-- description: Enabled shared or generic accounts (typed shared, or named admin, root, test, guest, support, ...) without an approved, current shared_account exception, without a named owner, or used outside the approved window (PCI DSS 8.2.2).
-- tables: users, user_profiles, account_exceptions, login_attempts
-- state: period_end
-- note: An exception counts when someone other than its requester approved it; it must cover the period end, and every successful login in the period must fall inside an approved window.
-- param: period_start timestamp
-- param: period_end timestamp
-- column: user_id integer
-- column: username text
-- column: account_type text
-- column: owner_user_id integer
-- column: exception_until timestamp
-- column: logins_outside_window integer
-- column: problem text
WITH shared AS (
    SELECT u.user_id, u.username, p.account_type, p.owner_user_id
    FROM users AS u
    LEFT JOIN user_profiles AS p ON p.user_id = u.user_id
    WHERE u.status IN ('active', 'locked')
      AND NOT u.is_service_account
      AND (p.account_type = 'shared'
           OR LOWER(u.username) IN ('admin', 'administrator', 'root', 'test', 'guest',
                                    'support', 'shared', 'generic', 'temp', 'operator')
           OR LOWER(u.username) LIKE 'shared-%'
           OR LOWER(u.username) LIKE 'generic-%')
),
approved AS (
    SELECT *
    FROM account_exceptions
    WHERE kind = 'shared_account'
      AND approved_by IS NOT NULL
      AND approved_by <> COALESCE(requested_by, -1)
),
judged AS (
    SELECT
        s.*,
        (SELECT MAX(a.valid_until) FROM approved AS a
          WHERE a.user_id = s.user_id AND a.valid_from <= :period_end) AS exception_until,
        (SELECT COUNT(*) FROM login_attempts AS l
          WHERE l.user_id = s.user_id AND l.success
            AND l.created_at >= :period_start AND l.created_at < :period_end
            AND NOT EXISTS (
                SELECT 1 FROM approved AS a
                WHERE a.user_id = l.user_id
                  AND l.created_at >= a.valid_from AND l.created_at < a.valid_until
            )) AS logins_outside_window
    FROM shared AS s
)
SELECT
    user_id,
    username,
    account_type,
    owner_user_id,
    exception_until,
    logins_outside_window,
    CASE
        WHEN exception_until IS NULL THEN 'no approved exception'
        WHEN exception_until < :period_end THEN 'exception expired'
        WHEN logins_outside_window > 0 THEN 'used outside the approved window'
        WHEN owner_user_id IS NULL THEN 'no named owner'
    END AS problem
FROM judged
WHERE exception_until IS NULL
   OR exception_until < :period_end
   OR logins_outside_window > 0
   OR owner_user_id IS NULL
ORDER BY user_id
