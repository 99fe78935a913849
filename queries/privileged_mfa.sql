-- name: privileged_mfa
-- description: Enabled personal accounts holding a privileged role at the end of the period, and whether each has MFA enrolled.
-- tables: users, roles, role_grants
-- state: period_end
-- note: Grants are judged at the period end from granted_at and revoked_at; MFA enrolment and account status are the current state, since the data keeps no history of them. Service accounts are out of scope (PCI DSS 8.4 exempts automated system accounts).
-- param: period_end timestamp
-- column: user_id integer
-- column: username text
-- column: status text
-- column: privileged_roles text
-- column: first_granted_at timestamp
-- column: mfa_enabled boolean
-- column: lacks_mfa boolean
SELECT
    u.user_id,
    u.username,
    u.status,
    STRING_AGG(DISTINCT r.name, ', ' ORDER BY r.name) AS privileged_roles,
    MIN(g.granted_at) AS first_granted_at,
    u.mfa_enabled,
    NOT u.mfa_enabled AS lacks_mfa
FROM role_grants AS g
JOIN roles AS r ON r.role_id = g.role_id AND r.is_privileged
JOIN users AS u ON u.user_id = g.user_id
WHERE g.granted_at < :period_end
  AND (g.revoked_at IS NULL OR g.revoked_at >= :period_end)
  AND u.status IN ('active', 'locked')
  AND NOT u.is_service_account
GROUP BY u.user_id, u.username, u.status, u.mfa_enabled
ORDER BY lacks_mfa DESC, u.user_id
