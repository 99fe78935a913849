-- name: other_log_review_status
-- description: The latest review of other system components' logs before the period end, against the interval the targeted risk analysis for PCI DSS 10.4.2.1 sets (PCI DSS 10.4.2).
-- tables: log_reviews, risk_analyses
-- state: period_end
-- param: period_end timestamp
-- column: scope text
-- column: interval_days integer
-- column: last_reviewed_at timestamp
-- column: problem text
WITH latest AS (
    SELECT MAX(reviewed_at) AS reviewed_at
    FROM log_reviews
    WHERE scope = 'other_components' AND reviewed_at < :period_end
),
analysis AS (
    SELECT frequency_days
    FROM risk_analyses
    WHERE requirement = '10.4.2.1' AND reviewed_at < :period_end
    ORDER BY reviewed_at DESC, analysis_id DESC
    LIMIT 1
)
SELECT
    'other_components' AS scope,
    a.frequency_days AS interval_days,
    l.reviewed_at AS last_reviewed_at,
    CASE
        WHEN a.frequency_days IS NULL THEN 'no targeted risk analysis sets the interval'
        WHEN l.reviewed_at IS NULL THEN 'never reviewed'
        WHEN l.reviewed_at < :period_end - a.frequency_days * INTERVAL '1 day'
            THEN 'last review too long ago'
    END AS problem
FROM latest AS l
LEFT JOIN analysis AS a ON TRUE
