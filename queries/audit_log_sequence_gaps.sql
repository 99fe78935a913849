-- name: audit_log_sequence_gaps
-- description: Gaps in the audit log's id sequence among the ids of the period's events: missing ids are possible deletions of audit records (PCI DSS 10.3.2).
-- tables: audit_log
-- state: period
-- note: Only meaningful where ids come from a gapless counter; a database sequence also skips values on rolled-back inserts, so each gap needs an explanation, not necessarily a deletion.
-- param: period_start timestamp
-- param: period_end timestamp
-- column: after_id integer
-- column: next_id integer
-- column: missing_ids integer
-- column: after_at timestamp
-- column: next_at timestamp
WITH bounds AS (
    SELECT MIN(id) AS low, MAX(id) AS high
    FROM audit_log
    WHERE created_at >= :period_start AND created_at < :period_end
),
ordered AS (
    SELECT
        a.id,
        a.created_at,
        LEAD(a.id) OVER (ORDER BY a.id) AS next_id,
        LEAD(a.created_at) OVER (ORDER BY a.id) AS next_at
    FROM audit_log AS a
    JOIN bounds AS b ON a.id BETWEEN b.low AND b.high
)
SELECT
    id AS after_id,
    next_id,
    next_id - id - 1 AS missing_ids,
    created_at AS after_at,
    next_at
FROM ordered
WHERE next_id - id > 1
ORDER BY id
