-- name: on_call_gaps
-- description: Stretches of the period that no on-call shift covers: nobody was available to respond around the clock (PCI DSS 12.10.3).
-- tables: on_call_shifts
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: gap_start timestamp
-- column: gap_end timestamp
-- column: gap_hours float
WITH shifts AS (
    SELECT GREATEST(starts_at, :period_start) AS starts_at,
           LEAST(ends_at, :period_end) AS ends_at,
           shift_id
    FROM on_call_shifts
    WHERE starts_at < :period_end AND ends_at > :period_start
    UNION ALL
    SELECT :period_end, :period_end, NULL
),
reach AS (
    SELECT
        starts_at,
        COALESCE(
            MAX(ends_at) OVER (
                ORDER BY starts_at, shift_id NULLS LAST
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
            ),
            :period_start
        ) AS covered_until
    FROM shifts
)
SELECT
    covered_until AS gap_start,
    starts_at AS gap_end,
    EXTRACT(EPOCH FROM (starts_at - covered_until)) / 3600.0 AS gap_hours
FROM reach
WHERE starts_at > covered_until
ORDER BY gap_start
