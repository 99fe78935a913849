-- name: access_review_status
-- description: The latest completed review of all user accounts and privileges before the period end, and whether it is recent enough, fully remediated and acknowledged by management (PCI DSS 7.2.4).
-- tables: access_reviews
-- state: period_end
-- param: period_end timestamp
-- param: max_months integer = 6
-- column: scope text
-- column: last_completed_at timestamp
-- column: reviewer_id integer
-- column: findings integer
-- column: findings_remediated integer
-- column: signed_off_at timestamp
-- column: problem text
WITH latest AS (
    SELECT *
    FROM access_reviews
    WHERE scope = 'all_accounts' AND completed_at < :period_end
    ORDER BY completed_at DESC, review_id DESC
    LIMIT 1
)
SELECT
    'all_accounts' AS scope,
    l.completed_at AS last_completed_at,
    l.reviewer_id,
    l.findings,
    l.findings_remediated,
    l.signed_off_at,
    CASE
        WHEN l.completed_at IS NULL THEN 'no completed review'
        WHEN l.completed_at < :period_end - :max_months * INTERVAL '1 month'
            THEN 'last review too long ago'
        WHEN COALESCE(l.findings, 0) > COALESCE(l.findings_remediated, 0)
            THEN 'findings not remediated'
        WHEN l.signed_off_at IS NULL THEN 'no management acknowledgement'
    END AS problem
FROM (SELECT 1 AS one) AS anchor
LEFT JOIN latest AS l ON TRUE
