-- name: identity_uniqueness
-- description: User names held by more than one account, and events in the period whose actor is missing or not a known account (PCI DSS 8.2.1).
-- tables: users, audit_log
-- state: period
-- note: failed_login events are left out: an attempt on a name that is no account has no actor to name, and PCI DSS 10.2.1.4 reconciles them with login_attempts instead. User names are compared without regard to case.
-- param: period_start timestamp
-- param: period_end timestamp
-- column: problem text
-- column: subject text
-- column: occurrences integer
SELECT 'user name held by several accounts' AS problem, LOWER(username) AS subject,
       COUNT(*) AS occurrences
FROM users
GROUP BY LOWER(username)
HAVING COUNT(*) > 1
UNION ALL
SELECT 'event without an identified actor' AS problem, e.event_type AS subject,
       COUNT(*) AS occurrences
FROM audit_log AS e
LEFT JOIN users AS u ON u.user_id = e.user_id
WHERE e.created_at >= :period_start AND e.created_at < :period_end
  AND e.event_type <> 'failed_login'
  AND u.user_id IS NULL
GROUP BY e.event_type
ORDER BY problem, subject
