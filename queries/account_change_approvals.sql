-- name: account_change_approvals
-- description: Accounts created in the period and whether each creation is linked to a request approved by someone other than the account itself (PCI DSS 8.2.4).
-- tables: users, account_requests
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: user_id integer
-- column: username text
-- column: created_at timestamp
-- column: request_id integer
-- column: approved_by integer
-- column: problem text
WITH created AS (
    SELECT user_id, username, created_at
    FROM users
    WHERE created_at >= :period_start AND created_at < :period_end
),
linked AS (
    SELECT c.user_id, MIN(r.request_id) AS request_id
    FROM created AS c
    JOIN account_requests AS r ON r.user_id = c.user_id AND r.action = 'create'
    WHERE r.approved_by IS NOT NULL AND r.approved_by <> c.user_id
    GROUP BY c.user_id
)
SELECT
    c.user_id,
    c.username,
    c.created_at,
    l.request_id,
    r.approved_by,
    CASE WHEN l.request_id IS NULL THEN 'no approved request' END AS problem
FROM created AS c
LEFT JOIN linked AS l ON l.user_id = c.user_id
LEFT JOIN account_requests AS r ON r.request_id = l.request_id
ORDER BY l.request_id IS NOT NULL, c.created_at, c.user_id
