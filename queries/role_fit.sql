-- name: role_fit
-- description: Roles held at the period end by enabled accounts that fall outside the role template of the holder's job function, or whose holder has no job function recorded (PCI DSS 7.2.1, 7.2.2).
-- tables: role_grants, roles, users, user_profiles, job_role_templates
-- state: period_end
-- note: Grants are judged at the period end from granted_at and revoked_at; account status and job function are the current state.
-- param: period_end timestamp
-- column: user_id integer
-- column: username text
-- column: job_function text
-- column: role_name text
-- column: is_privileged boolean
-- column: granted_at timestamp
-- column: problem text
SELECT
    g.user_id,
    u.username,
    p.job_function,
    r.name AS role_name,
    r.is_privileged,
    g.granted_at,
    CASE
        WHEN p.job_function IS NULL THEN 'no job function recorded'
        ELSE 'role outside the job function'
    END AS problem
FROM role_grants AS g
JOIN users AS u ON u.user_id = g.user_id
LEFT JOIN roles AS r ON r.role_id = g.role_id
LEFT JOIN user_profiles AS p ON p.user_id = g.user_id
WHERE g.granted_at < :period_end
  AND (g.revoked_at IS NULL OR g.revoked_at >= :period_end)
  AND u.status IN ('active', 'locked')
  AND NOT EXISTS (
      SELECT 1
      FROM job_role_templates AS t
      WHERE t.job_function = p.job_function AND t.role_id = g.role_id
  )
ORDER BY g.user_id, g.granted_at
