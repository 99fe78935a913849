-- name: lessons_learned
-- description: Major incidents (SEV-1 and SEV-2) resolved in the period, and whether a lessons-learned review is on record (PCI DSS 12.10.6).
-- tables: security_incidents, incident_details
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: incident_id integer
-- column: title text
-- column: severity text
-- column: resolved_at timestamp
-- column: lessons_learned_at timestamp
-- column: problem text
SELECT
    i.incident_id,
    i.title,
    i.severity,
    i.resolved_at,
    d.lessons_learned_at,
    CASE
        WHEN d.incident_id IS NULL THEN 'no incident details recorded'
        WHEN d.lessons_learned_at IS NULL THEN 'no lessons-learned review'
    END AS problem
FROM security_incidents AS i
LEFT JOIN incident_details AS d ON d.incident_id = i.incident_id
WHERE i.severity IN ('SEV-1', 'SEV-2')
  AND i.resolved_at >= :period_start AND i.resolved_at < :period_end
ORDER BY problem NULLS LAST, i.resolved_at, i.incident_id
