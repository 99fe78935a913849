-- name: dpia_coverage
-- description: High-risk processing activities begun before the period end, whether a DPIA was completed before the processing started (Art. 35), and where high risk remained, whether the authority was consulted first (Art. 36).
-- tables: processing_activities, dpias
-- state: period_end
-- param: period_end timestamp
-- column: activity_id integer
-- column: name text
-- column: started_at timestamp
-- column: dpia_completed_at timestamp
-- column: residual_high_risk boolean
-- column: consulted_at timestamp
-- column: dpia_problem text
-- column: consultation_problem text
WITH first_dpia AS (
    SELECT
        activity_id,
        MIN(completed_at) AS completed_at,
        bool_or(residual_high_risk) AS residual_high_risk,
        MIN(consulted_at) AS consulted_at
    FROM dpias
    WHERE completed_at < :period_end
    GROUP BY activity_id
)
SELECT
    a.activity_id,
    a.name,
    a.started_at,
    d.completed_at AS dpia_completed_at,
    d.residual_high_risk,
    d.consulted_at,
    CASE
        WHEN d.completed_at IS NULL THEN 'no DPIA'
        WHEN d.completed_at > a.started_at THEN 'DPIA after processing began'
    END AS dpia_problem,
    CASE
        WHEN d.residual_high_risk AND d.consulted_at IS NULL THEN 'authority not consulted'
        WHEN d.residual_high_risk AND d.consulted_at > a.started_at
            THEN 'consulted after processing began'
    END AS consultation_problem
FROM processing_activities AS a
LEFT JOIN first_dpia AS d ON d.activity_id = a.activity_id
WHERE a.is_high_risk AND COALESCE(a.started_at, :period_end) < :period_end
ORDER BY a.activity_id
