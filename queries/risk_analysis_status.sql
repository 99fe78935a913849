-- name: risk_analysis_status
-- description: The targeted risk analyses PCI DSS requires for its entity-defined frequencies (7.2.5.1, 8.6.3, 10.4.2.1, 12.10.4.1), and whether each was reviewed within max_months of the period end (PCI DSS 12.3.1).
-- tables: risk_analyses
-- state: period_end
-- param: period_end timestamp
-- param: max_months integer = 12
-- column: requirement text
-- column: frequency_days integer
-- column: reviewed_at timestamp
-- column: problem text
WITH required(requirement) AS (
    SELECT r.requirement
    FROM (VALUES ('7.2.5.1'), ('8.6.3'), ('10.4.2.1'), ('12.10.4.1')) AS r(requirement)
),
latest AS (
    SELECT requirement, MAX(reviewed_at) AS reviewed_at
    FROM risk_analyses
    WHERE reviewed_at < :period_end
    GROUP BY requirement
)
SELECT
    q.requirement,
    (SELECT MAX(a.frequency_days) FROM risk_analyses AS a
      WHERE a.requirement = q.requirement AND a.reviewed_at = l.reviewed_at) AS frequency_days,
    l.reviewed_at,
    CASE
        WHEN l.reviewed_at IS NULL THEN 'no targeted risk analysis'
        WHEN l.reviewed_at < :period_end - :max_months * INTERVAL '1 month'
            THEN 'not reviewed within the interval'
    END AS problem
FROM required AS q
LEFT JOIN latest AS l ON l.requirement = q.requirement
ORDER BY q.requirement
