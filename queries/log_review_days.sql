-- name: log_review_days
-- description: UTC days of the period that have a review of security events on record, and whether an automated review ran that day (PCI DSS 10.4.1, 10.4.1.1).
-- tables: log_reviews
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: reviewed_day date
-- column: automated_day date
-- column: reviews integer
-- column: exceptions_found integer
SELECT
    reviewed_day,
    CASE WHEN bool_or(is_automated) THEN reviewed_day END AS automated_day,
    COUNT(*) AS reviews,
    SUM(COALESCE(exceptions_found, 0)) AS exceptions_found
FROM log_reviews
WHERE scope = 'security_events'
  AND reviewed_day >= CAST(:period_start AS DATE)
  AND reviewed_day < CAST(:period_end AS DATE)
GROUP BY reviewed_day
ORDER BY reviewed_day
