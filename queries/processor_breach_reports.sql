-- name: processor_breach_reports
-- description: Breaches a processor became aware of, detected in the period, with the hours it took the processor to tell the controller against max_hours (GDPR Art. 33(2)).
-- tables: security_incidents, incident_details
-- state: period
-- note: The GDPR says "without undue delay" and sets no number; max_hours stands for the data-processing agreement's deadline.
-- param: period_start timestamp
-- param: period_end timestamp
-- param: max_hours integer = 24
-- column: incident_id integer
-- column: processor_aware_at timestamp
-- column: processor_reported_at timestamp
-- column: hours_to_report float
-- column: is_late boolean
SELECT
    i.incident_id,
    d.processor_aware_at,
    d.processor_reported_at,
    EXTRACT(EPOCH FROM (d.processor_reported_at - d.processor_aware_at)) / 3600.0
        AS hours_to_report,
    COALESCE(d.processor_reported_at, :period_end)
        > d.processor_aware_at + :max_hours * INTERVAL '1 hour' AS is_late
FROM security_incidents AS i
JOIN incident_details AS d ON d.incident_id = i.incident_id
WHERE d.processor_aware_at IS NOT NULL
  AND i.detected_at >= :period_start AND i.detected_at < :period_end
ORDER BY is_late DESC, i.detected_at, i.incident_id
