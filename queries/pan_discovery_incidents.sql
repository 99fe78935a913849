-- name: pan_discovery_incidents
-- description: Incidents of PAN found where it should not be, detected in the period, and whether each records the location, the removal, a check for SAD and the root cause (PCI DSS 12.10.7).
-- tables: security_incidents, incident_details
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: incident_id integer
-- column: detected_at timestamp
-- column: pan_location text
-- column: pan_removed_at timestamp
-- column: sad_checked boolean
-- column: root_cause text
-- column: problem text
SELECT
    i.incident_id,
    i.detected_at,
    d.pan_location,
    d.pan_removed_at,
    d.sad_checked,
    d.root_cause,
    CASE
        WHEN d.pan_location IS NULL THEN 'no location recorded'
        WHEN d.pan_removed_at IS NULL THEN 'PAN not removed'
        WHEN NOT COALESCE(d.sad_checked, FALSE) THEN 'no check for SAD'
        WHEN d.root_cause IS NULL THEN 'no root cause'
    END AS problem
FROM security_incidents AS i
JOIN incident_details AS d ON d.incident_id = i.incident_id
WHERE d.category = 'pan_discovered'
  AND i.detected_at >= :period_start AND i.detected_at < :period_end
ORDER BY problem NULLS LAST, i.detected_at, i.incident_id
