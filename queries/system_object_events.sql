-- name: system_object_events
-- description: System-level objects created or deleted in the period, and whether a config_change event was logged within match_seconds of each (PCI DSS 10.2.1.7).
-- tables: system_objects, audit_log
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- param: match_seconds integer = 60
-- column: object_id integer
-- column: name text
-- column: object_type text
-- column: change text
-- column: changed_at timestamp
-- column: is_unlogged boolean
WITH changes AS (
    SELECT object_id, name, object_type, 'created' AS change, created_at AS changed_at
    FROM system_objects
    WHERE created_at >= :period_start AND created_at < :period_end
    UNION ALL
    SELECT object_id, name, object_type, 'deleted', dropped_at
    FROM system_objects
    WHERE dropped_at >= :period_start AND dropped_at < :period_end
),
logged AS (
    SELECT DISTINCT c.object_id, c.change, c.changed_at
    FROM changes AS c
    JOIN audit_log AS e
      ON e.event_type = 'config_change'
     AND e.created_at >= c.changed_at - :match_seconds * INTERVAL '1 second'
     AND e.created_at <= c.changed_at + :match_seconds * INTERVAL '1 second'
)
SELECT
    c.*,
    l.object_id IS NULL AS is_unlogged
FROM changes AS c
LEFT JOIN logged AS l
  ON l.object_id = c.object_id AND l.change = c.change AND l.changed_at = c.changed_at
ORDER BY is_unlogged DESC, c.changed_at, c.object_id
