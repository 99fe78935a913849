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
ids AS (
    SELECT a.id, FLOOR(a.id / 4096) AS block
    FROM audit_log AS a
    JOIN bounds AS b ON a.id BETWEEN b.low AND b.high
),
blocks AS (
    SELECT block, MIN(id) AS low, MAX(id) AS high, COUNT(*) AS ids
    FROM ids
    GROUP BY block
),
across AS (
    SELECT LAG(high) OVER (ORDER BY block) AS after_id, low AS next_id
    FROM blocks
),
inside AS (
    SELECT
        id AS after_id,
        LEAD(id) OVER (PARTITION BY block ORDER BY id) AS next_id
    FROM ids
    WHERE block IN (SELECT block FROM blocks WHERE ids <> high - low + 1)
),
pairs AS (
    SELECT after_id, next_id FROM across WHERE next_id - after_id > 1
    UNION ALL
    SELECT after_id, next_id FROM inside WHERE next_id - after_id > 1
)
SELECT
    p.after_id,
    p.next_id,
    p.next_id - p.after_id - 1 AS missing_ids,
    a.created_at AS after_at,
    n.created_at AS next_at
FROM pairs AS p
JOIN audit_log AS a ON a.id = p.after_id
JOIN audit_log AS n ON n.id = p.next_id
ORDER BY p.after_id
