-- name: service_account_review_status
-- description: The latest completed review of application and system accounts before the period end, against the interval the targeted risk analysis for PCI DSS 7.2.5.1 sets (PCI DSS 7.2.5, 7.2.5.1).
-- tables: access_reviews, risk_analyses
-- state: period_end
-- param: period_end timestamp
-- column: scope text
-- column: interval_days integer
-- column: last_completed_at timestamp
-- column: findings integer
-- column: findings_remediated integer
-- column: signed_off_at timestamp
-- column: problem text
WITH latest AS (
    SELECT *
    FROM access_reviews
    WHERE scope = 'service_accounts' AND completed_at < :period_end
    ORDER BY completed_at DESC, review_id DESC
    LIMIT 1
),
analysis AS (
    SELECT frequency_days
    FROM risk_analyses
    WHERE requirement = '7.2.5.1' AND reviewed_at < :period_end
    ORDER BY reviewed_at DESC, analysis_id DESC
    LIMIT 1
)
SELECT
    'service_accounts' AS scope,
    a.frequency_days AS interval_days,
    l.completed_at AS last_completed_at,
    l.findings,
    l.findings_remediated,
    l.signed_off_at,
    CASE
        WHEN a.frequency_days IS NULL THEN 'no targeted risk analysis sets the interval'
        WHEN l.completed_at IS NULL THEN 'no completed review'
        WHEN l.completed_at < :period_end - a.frequency_days * INTERVAL '1 day'
            THEN 'last review too long ago'
        WHEN COALESCE(l.findings, 0) > COALESCE(l.findings_remediated, 0)
            THEN 'findings not remediated'
        WHEN l.signed_off_at IS NULL THEN 'no management acknowledgement'
    END AS problem
FROM (SELECT 1 AS one) AS anchor
LEFT JOIN latest AS l ON TRUE
LEFT JOIN analysis AS a ON TRUE
