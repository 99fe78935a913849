-- name: lockout_not_enforced
-- description: Accounts with more than max_failures consecutive failed logins (no success between them) and no sign of a lockout during the run (anchor: PCI DSS 8.3.4, lock out after at most 10 invalid attempts; Windows 4740 and Okta user.account.lock are the lockout events).
-- tables: login_attempts, audit_log
-- state: period
-- note: Accounts are keyed by user name. Failures for names that are not accounts (failure_reason unknown_user) do not count, nor do failures refused because the account was locked (account_locked), which are themselves the sign of a lockout, as is an audit event account_locked or lockout for the account during the run. Listed when the failure that goes past max_failures falls in the period.
-- param: period_start timestamp
-- param: period_end timestamp
-- param: max_failures integer = 10
-- column: username text
-- column: user_id integer
-- column: failures_in_run integer
-- column: first_failure_at timestamp
-- column: exceeded_at timestamp
-- column: last_failure_at timestamp
-- column: ended_by_success boolean
-- column: distinct_sources integer
WITH last_success AS (
    SELECT username, MAX(created_at) AS success_at
    FROM login_attempts
    WHERE success AND username IS NOT NULL AND created_at < :period_start
    GROUP BY username
),
attempts AS (
    SELECT
        l.id,
        l.username,
        l.user_id,
        l.client_ip,
        l.created_at,
        l.success,
        l.failure_reason,
        SUM(CASE WHEN l.success THEN 1 ELSE 0 END) OVER (
            PARTITION BY l.username ORDER BY l.created_at, l.id ROWS UNBOUNDED PRECEDING
        ) AS run
    FROM login_attempts AS l
    LEFT JOIN last_success AS p ON p.username = l.username
    WHERE l.username IS NOT NULL
      AND l.created_at < :period_end
      AND (p.success_at IS NULL OR l.created_at >= p.success_at)
      AND (l.success OR COALESCE(l.failure_reason, '') <> 'unknown_user')
),
failures AS (
    SELECT
        attempts.*,
        ROW_NUMBER() OVER (
            PARTITION BY username, run ORDER BY created_at, id
        ) AS position
    FROM attempts
    WHERE NOT success AND COALESCE(failure_reason, '') <> 'account_locked'
),
runs AS (
    SELECT
        username,
        run,
        MAX(user_id) AS user_id,
        COUNT(*) AS failures_in_run,
        MIN(created_at) AS first_failure_at,
        MIN(CASE WHEN position = :max_failures + 1 THEN created_at END) AS exceeded_at,
        MAX(created_at) AS last_failure_at,
        COUNT(DISTINCT client_ip) AS distinct_sources
    FROM failures
    GROUP BY username, run
    HAVING COUNT(*) > :max_failures
),
ends AS (
    SELECT username, run - 1 AS run, MIN(created_at) AS success_at
    FROM attempts
    WHERE success
    GROUP BY username, run
),
locked AS (
    SELECT DISTINCT r.username, r.run
    FROM runs AS r
    JOIN attempts AS a
      ON a.username = r.username
     AND a.run = r.run
     AND NOT a.success
     AND a.failure_reason = 'account_locked'
    UNION
    SELECT DISTINCT r.username, r.run
    FROM runs AS r
    JOIN audit_log AS e
      ON (e.resource = r.username OR (e.user_id IS NOT NULL AND e.user_id = r.user_id))
     AND e.event_type IN ('account_locked', 'lockout')
     AND e.created_at >= r.first_failure_at
     AND e.created_at <= r.last_failure_at
)
SELECT
    r.username,
    r.user_id,
    r.failures_in_run,
    r.first_failure_at,
    r.exceeded_at,
    r.last_failure_at,
    e.success_at IS NOT NULL AS ended_by_success,
    r.distinct_sources
FROM runs AS r
LEFT JOIN ends AS e ON e.username = r.username AND e.run = r.run
LEFT JOIN locked AS k ON k.username = r.username AND k.run = r.run
WHERE k.username IS NULL
  AND r.exceeded_at >= :period_start
  AND r.exceeded_at < :period_end
ORDER BY r.exceeded_at, r.username
