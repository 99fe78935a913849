-- name: single_factor_password_age
-- description: Enabled personal accounts without MFA whose password was last set more than max_age_days before the period end, or never (PCI DSS 8.3.9).
-- tables: users
-- state: period_end
-- note: MFA enrolment is the current state. Entities that analyse security posture dynamically instead of expiring passwords should waive this control with that justification.
-- param: period_end timestamp
-- param: max_age_days integer = 90
-- column: user_id integer
-- column: username text
-- column: status text
-- column: password_changed_at timestamp
-- column: password_age_days integer
SELECT
    user_id,
    username,
    status,
    password_changed_at,
    CAST(:period_end AS DATE)
        - CAST(COALESCE(password_changed_at, created_at) AT TIME ZONE 'UTC' AS DATE)
        AS password_age_days
FROM users
WHERE status IN ('active', 'locked')
  AND NOT mfa_enabled
  AND NOT is_service_account
  AND created_at < :period_end
  AND COALESCE(password_changed_at, created_at) < :period_end - :max_age_days * INTERVAL '1 day'
ORDER BY password_age_days DESC, user_id
