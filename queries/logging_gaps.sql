-- name: logging_gaps
-- description: Stretches of at least max_gap_minutes in the period with no audit event at all, unless a logging_stopped event opens the gap and a logging_started event closes it (PCI DSS 10.2.1, 10.2.1.6).
-- tables: audit_log
-- state: period
-- note: The period's start and end bound the first and last gap. A quiet platform can go an hour without events; raise max_gap_minutes to what its traffic makes unexplained.
-- param: period_start timestamp
-- param: period_end timestamp
-- param: max_gap_minutes integer = 120
-- column: gap_start timestamp
-- column: gap_end timestamp
-- column: gap_minutes float
-- column: event_before text
-- column: event_after text
WITH points AS (
    SELECT created_at, id, event_type
    FROM audit_log
    WHERE created_at >= :period_start AND created_at < :period_end
    UNION ALL
    SELECT :period_start, NULL, 'period start'
    UNION ALL
    SELECT :period_end, NULL, 'period end'
),
ordered AS (
    SELECT
        created_at,
        event_type,
        LAG(created_at) OVER (ORDER BY created_at, id NULLS FIRST) AS previous_at,
        LAG(event_type) OVER (ORDER BY created_at, id NULLS FIRST) AS previous_type
    FROM points
)
SELECT
    previous_at AS gap_start,
    created_at AS gap_end,
    EXTRACT(EPOCH FROM (created_at - previous_at)) / 60.0 AS gap_minutes,
    previous_type AS event_before,
    event_type AS event_after
FROM ordered
WHERE created_at - previous_at >= :max_gap_minutes * INTERVAL '1 minute'
  AND NOT (previous_type = 'logging_stopped' AND event_type = 'logging_started')
ORDER BY gap_start
