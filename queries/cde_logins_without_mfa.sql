-- name: cde_logins_without_mfa
-- description: Personal accounts that logged in successfully in the period without a second factor while holding a role with the cde_access permission (PCI DSS 8.4.2).
-- tables: login_attempts, users, role_grants, role_permissions
-- state: period
-- note: Application and system accounts are exempt (PCI DSS 8.4.2), as are POS single-card accounts and accounts that use only phishing-resistant factors, which should not hold cde_access here or be waived.
-- param: period_start timestamp
-- param: period_end timestamp
-- column: user_id integer
-- column: username text
-- column: logins_without_mfa integer
-- column: first_at timestamp
-- column: last_at timestamp
SELECT
    l.user_id,
    u.username,
    COUNT(*) AS logins_without_mfa,
    MIN(l.created_at) AS first_at,
    MAX(l.created_at) AS last_at
FROM login_attempts AS l
JOIN users AS u ON u.user_id = l.user_id AND NOT u.is_service_account
WHERE l.success
  AND NOT COALESCE(l.mfa_used, FALSE)
  AND l.created_at >= :period_start AND l.created_at < :period_end
  AND EXISTS (
      SELECT 1
      FROM role_grants AS g
      JOIN role_permissions AS p ON p.role_id = g.role_id
      WHERE g.user_id = l.user_id
        AND p.permission = 'cde_access'
        AND g.granted_at <= l.created_at
        AND (g.revoked_at IS NULL OR g.revoked_at > l.created_at)
  )
GROUP BY l.user_id, u.username
ORDER BY logins_without_mfa DESC, l.user_id
