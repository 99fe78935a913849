-- name: incident_plan_steps
-- description: Incidents affecting the cardholder data environment detected in the period, and whether the record shows the plan's containment step (PCI DSS 12.10.1).
-- tables: security_incidents, incident_details
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: incident_id integer
-- column: title text
-- column: severity text
-- column: detected_at timestamp
-- column: contained_at timestamp
-- column: resolved_at timestamp
-- column: problem text
SELECT
    i.incident_id,
    i.title,
    i.severity,
    i.detected_at,
    d.contained_at,
    i.resolved_at,
    CASE
        WHEN d.contained_at IS NULL THEN 'no containment recorded'
        WHEN d.contained_at < i.detected_at THEN 'containment before detection'
    END AS problem
FROM security_incidents AS i
JOIN incident_details AS d ON d.incident_id = i.incident_id
WHERE d.affects_cde
  AND i.detected_at >= :period_start AND i.detected_at < :period_end
ORDER BY problem NULLS LAST, i.detected_at, i.incident_id
