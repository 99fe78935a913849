-- name: role_grants_in_period
-- description: Role grants made in the period with who granted and who approved them; a grant with no approver, or approved by its own grantee, is an approval problem.
-- tables: role_grants, roles, users
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: grant_id integer
-- column: user_id integer
-- column: username text
-- column: role_name text
-- column: is_privileged boolean
-- column: granted_at timestamp
-- column: granted_by integer
-- column: approved_by integer
-- column: approval_problem text
SELECT
    g.grant_id,
    g.user_id,
    u.username,
    r.name AS role_name,
    r.is_privileged,
    g.granted_at,
    g.granted_by,
    g.approved_by,
    CASE
        WHEN g.approved_by IS NULL THEN 'no approver'
        WHEN g.approved_by = g.user_id THEN 'self-approved'
    END AS approval_problem
FROM role_grants AS g
LEFT JOIN roles AS r ON r.role_id = g.role_id
LEFT JOIN users AS u ON u.user_id = g.user_id
WHERE g.granted_at >= :period_start AND g.granted_at < :period_end
ORDER BY (g.approved_by IS NULL OR g.approved_by = g.user_id) DESC, g.granted_at, g.grant_id
