-- name: breach_notifications
-- description: Personal-data breaches whose notification deadline (notify_hours after awareness, GDPR Art. 33(1)) falls in the period, and whether the authority was told in time.
-- tables: security_incidents
-- state: period
-- note: The clock starts at aware_at; where it is missing, at detected_at, the earlier and stricter choice.
-- param: period_start timestamp
-- param: period_end timestamp
-- param: notify_hours integer = 72
-- column: incident_id integer
-- column: title text
-- column: severity text
-- column: aware_at timestamp
-- column: deadline_at timestamp
-- column: authority_notified_at timestamp
-- column: hours_to_notify float
-- column: is_late boolean
WITH breaches AS (
    SELECT
        incident_id,
        title,
        severity,
        COALESCE(aware_at, detected_at) AS aware_at,
        COALESCE(aware_at, detected_at) + :notify_hours * INTERVAL '1 hour' AS deadline_at,
        authority_notified_at
    FROM security_incidents
    WHERE is_personal_data_breach
)
SELECT
    incident_id,
    title,
    severity,
    aware_at,
    deadline_at,
    authority_notified_at,
    EXTRACT(EPOCH FROM (authority_notified_at - aware_at)) / 3600.0 AS hours_to_notify,
    COALESCE(authority_notified_at, :period_end) > deadline_at AS is_late
FROM breaches
WHERE deadline_at >= :period_start AND deadline_at < :period_end
ORDER BY is_late DESC, deadline_at, incident_id
