-- name: log_retention
-- description: Whether the audit log reaches back retention_months before the period end, and holds events in each of the last immediate_months months (PCI DSS 10.5.1).
-- tables: audit_log
-- state: period_end
-- param: period_end timestamp
-- param: retention_months integer = 12
-- param: immediate_months integer = 3
-- column: earliest_event_at timestamp
-- column: months_with_events_recently integer
-- column: covers_retention boolean
-- column: covers_immediate boolean
-- column: meets_requirement boolean
WITH recent AS (
    -- One index probe per month, instead of reading every event of the months.
    SELECT COUNT(*) AS months
    FROM generate_series(1, :immediate_months) AS m(n)
    WHERE EXISTS (
        SELECT 1
        FROM audit_log
        WHERE created_at >= :period_end - CAST(m.n AS INTEGER) * INTERVAL '1 month'
          AND created_at < :period_end - CAST(m.n - 1 AS INTEGER) * INTERVAL '1 month'
    )
),
earliest AS (
    SELECT MIN(created_at) AS earliest_event_at
    FROM audit_log
    WHERE created_at < :period_end
)
SELECT
    e.earliest_event_at,
    r.months AS months_with_events_recently,
    COALESCE(e.earliest_event_at <= :period_end - :retention_months * INTERVAL '1 month', FALSE)
        AS covers_retention,
    r.months >= :immediate_months AS covers_immediate,
    COALESCE(e.earliest_event_at <= :period_end - :retention_months * INTERVAL '1 month', FALSE)
        AND r.months >= :immediate_months AS meets_requirement
FROM earliest AS e
CROSS JOIN recent AS r
