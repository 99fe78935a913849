-- name: vendor_access
-- description: Third-party (vendor) accounts with successful logins in the period outside an approved vendor_access window, or enabled at the period end without a current window (PCI DSS 8.2.7).
-- tables: users, user_profiles, account_exceptions, login_attempts
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: user_id integer
-- column: username text
-- column: status text
-- column: logins_outside_window integer
-- column: has_current_window boolean
-- column: problem text
WITH windows AS (
    SELECT *
    FROM account_exceptions
    WHERE kind = 'vendor_access'
      AND approved_by IS NOT NULL
      AND approved_by <> COALESCE(requested_by, -1)
),
vendors AS (
    SELECT
        u.user_id,
        u.username,
        u.status,
        (SELECT COUNT(*) FROM login_attempts AS l
          WHERE l.user_id = u.user_id AND l.success
            AND l.created_at >= :period_start AND l.created_at < :period_end
            AND NOT EXISTS (
                SELECT 1 FROM windows AS w
                WHERE w.user_id = l.user_id
                  AND l.created_at >= w.valid_from AND l.created_at < w.valid_until
            )) AS logins_outside_window,
        EXISTS (
            SELECT 1 FROM windows AS w
            WHERE w.user_id = u.user_id
              AND w.valid_from < :period_end AND w.valid_until >= :period_end
        ) AS has_current_window
    FROM users AS u
    JOIN user_profiles AS p ON p.user_id = u.user_id
    WHERE p.account_type = 'vendor'
)
SELECT
    *,
    CASE
        WHEN logins_outside_window > 0 THEN 'logins outside an approved window'
        WHEN status IN ('active', 'locked') AND NOT has_current_window
            THEN 'enabled without a current window'
    END AS problem
FROM vendors
ORDER BY problem NULLS LAST, user_id
