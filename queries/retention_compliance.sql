-- name: retention_compliance
-- description: Each data category of the retention schedule with its latest purge-verification run before the period end and what that run found (PCI DSS 3.2.1, GDPR Art. 5(1)(e)).
-- tables: retention_schedule, purge_runs
-- state: period_end
-- note: problem (PCI DSS 3.2.1) flags a category never checked, checked more than max_run_gap_months before the period end, or holding records past retention; gdpr_problem ignores the run interval, which the GDPR does not set.
-- param: period_end timestamp
-- param: max_run_gap_months integer = 3
-- column: category text
-- column: scope text
-- column: retention_days integer
-- column: last_run_at timestamp
-- column: records_past_retention integer
-- column: problem text
-- column: gdpr_problem text
WITH last_run AS (
    SELECT category, MAX(ran_at) AS last_run_at
    FROM purge_runs
    WHERE ran_at < :period_end
    GROUP BY category
),
found AS (
    SELECT p.category, l.last_run_at, MAX(p.records_past_retention) AS records_past_retention
    FROM purge_runs AS p
    JOIN last_run AS l ON l.category = p.category AND l.last_run_at = p.ran_at
    GROUP BY p.category, l.last_run_at
)
SELECT
    s.category,
    s.scope,
    s.retention_days,
    f.last_run_at,
    f.records_past_retention,
    CASE
        WHEN f.last_run_at IS NULL THEN 'never checked'
        WHEN f.last_run_at < :period_end - :max_run_gap_months * INTERVAL '1 month'
            THEN 'last check too long ago'
        WHEN f.records_past_retention > 0 THEN 'records held past retention'
    END AS problem,
    CASE
        WHEN f.last_run_at IS NULL THEN 'never checked'
        WHEN f.records_past_retention > 0 THEN 'records held past retention'
    END AS gdpr_problem
FROM retention_schedule AS s
LEFT JOIN found AS f ON f.category = s.category
ORDER BY s.scope, s.category
