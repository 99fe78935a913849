-- name: control_failure_records
-- description: Failures of critical security controls open during the period whose record lacks an end, cause, fix, preventive action or incident, and days without a security-log review that no log_review failure record covers (PCI DSS 10.7.2, 10.7.3).
-- tables: control_failures, log_reviews
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: failure_id integer
-- column: control text
-- column: started_at timestamp
-- column: ended_at timestamp
-- column: problem text
WITH RECURSIVE days(day) AS (
    SELECT CAST(:period_start AS DATE)
    UNION ALL
    SELECT day + 1 FROM days WHERE day + 1 < CAST(:period_end AS DATE)
),
failures AS (
    SELECT *
    FROM control_failures
    WHERE started_at < :period_end AND (ended_at IS NULL OR ended_at >= :period_start)
),
unreviewed AS (
    SELECT d.day
    FROM days AS d
    WHERE NOT EXISTS (
        SELECT 1 FROM log_reviews AS r
        WHERE r.scope = 'security_events' AND r.reviewed_day = d.day
    )
)
SELECT
    failure_id,
    control,
    started_at,
    ended_at,
    CASE
        WHEN ended_at IS NULL THEN 'no end recorded'
        WHEN cause IS NULL THEN 'no cause recorded'
        WHEN remediation IS NULL THEN 'no remediation recorded'
        WHEN preventive_action IS NULL THEN 'no preventive action recorded'
        WHEN incident_id IS NULL THEN 'no incident opened'
    END AS problem
FROM failures
WHERE ended_at IS NULL OR cause IS NULL OR remediation IS NULL
   OR preventive_action IS NULL OR incident_id IS NULL
UNION ALL
SELECT
    NULL,
    'log_review',
    CAST(u.day AS TIMESTAMP WITH TIME ZONE),
    CAST(u.day AS TIMESTAMP WITH TIME ZONE) + INTERVAL '1 day',
    'day without a review and no failure record'
FROM unreviewed AS u
WHERE NOT EXISTS (
    SELECT 1 FROM failures AS f
    WHERE f.control = 'log_review'
      AND f.started_at < CAST(u.day AS TIMESTAMP WITH TIME ZONE) + INTERVAL '1 day'
      AND COALESCE(f.ended_at, :period_end) > CAST(u.day AS TIMESTAMP WITH TIME ZONE)
)
ORDER BY started_at, failure_id
