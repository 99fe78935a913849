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
WITH minutes AS (
    SELECT MIN(created_at) AS first_at, MAX(created_at) AS last_at
    FROM audit_log
    WHERE created_at >= :period_start AND created_at < :period_end
    GROUP BY FLOOR(EXTRACT(EPOCH FROM created_at) / 60)
),
points AS (
    SELECT first_at, last_at FROM minutes
    UNION ALL
    SELECT :period_start, :period_start
    UNION ALL
    SELECT :period_end, :period_end
),
ordered AS (
    SELECT
        first_at,
        LAG(last_at) OVER (ORDER BY first_at, last_at) AS previous_at
    FROM points
),
gaps AS (
    SELECT previous_at AS gap_start, first_at AS gap_end
    FROM ordered
    WHERE first_at - previous_at >= :max_gap_minutes * INTERVAL '1 minute'
),
edges AS (
    SELECT
        a.created_at,
        a.event_type,
        ROW_NUMBER() OVER (PARTITION BY a.created_at ORDER BY a.id DESC) AS from_last,
        ROW_NUMBER() OVER (PARTITION BY a.created_at ORDER BY a.id) AS from_first
    FROM audit_log AS a
    JOIN (
        SELECT gap_start AS at FROM gaps
        UNION
        SELECT gap_end FROM gaps
    ) AS ends ON ends.at = a.created_at
    WHERE a.created_at >= :period_start AND a.created_at < :period_end
),
named AS (
    SELECT
        g.gap_start,
        g.gap_end,
        COALESCE(b.event_type, 'period start') AS event_before,
        COALESCE(f.event_type, 'period end') AS event_after
    FROM gaps AS g
    LEFT JOIN edges AS b ON b.created_at = g.gap_start AND b.from_last = 1
    LEFT JOIN edges AS f ON f.created_at = g.gap_end AND f.from_first = 1
)
SELECT
    gap_start,
    gap_end,
    EXTRACT(EPOCH FROM (gap_end - gap_start)) / 60.0 AS gap_minutes,
    event_before,
    event_after
FROM named
WHERE NOT (event_before = 'logging_stopped' AND event_after = 'logging_started')
ORDER BY gap_start
