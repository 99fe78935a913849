-- name: customer_password_age
-- description: Enabled customer accounts without MFA, and how many of them had a password older than max_age_days at the period end (PCI DSS 8.3.10.1, service providers).
-- tables: users, user_profiles
-- state: period_end
-- param: period_end timestamp
-- param: max_age_days integer = 90
-- column: single_factor_customers integer
-- column: stale_passwords integer
SELECT
    COUNT(*) AS single_factor_customers,
    COUNT(*) FILTER (
        WHERE COALESCE(u.password_changed_at, u.created_at)
              < :period_end - :max_age_days * INTERVAL '1 day'
    ) AS stale_passwords
FROM users AS u
JOIN user_profiles AS p ON p.user_id = u.user_id AND p.account_type = 'customer'
WHERE u.status IN ('active', 'locked')
  AND NOT u.mfa_enabled
  AND u.created_at < :period_end
