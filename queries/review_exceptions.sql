-- name: review_exceptions
-- description: Log reviews of the period that flagged exceptions still without a documented disposition (PCI DSS 10.4.3).
-- tables: log_reviews
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: review_id integer
-- column: reviewed_day date
-- column: scope text
-- column: exceptions_found integer
-- column: exceptions_resolved integer
-- column: open_exceptions integer
SELECT
    review_id,
    reviewed_day,
    scope,
    exceptions_found,
    exceptions_resolved,
    COALESCE(exceptions_found, 0) - COALESCE(exceptions_resolved, 0) AS open_exceptions
FROM log_reviews
WHERE reviewed_day >= CAST(:period_start AS DATE)
  AND reviewed_day < CAST(:period_end AS DATE)
  AND COALESCE(exceptions_found, 0) > COALESCE(exceptions_resolved, 0)
ORDER BY reviewed_day, review_id
