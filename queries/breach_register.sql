-- name: breach_register
-- description: Personal-data breaches detected in the period, and whether the register documents their facts, effects and remedial action, whether notified or not (GDPR Art. 33(5)).
-- tables: security_incidents, incident_details
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: incident_id integer
-- column: title text
-- column: detected_at timestamp
-- column: missing text
SELECT
    i.incident_id,
    i.title,
    i.detected_at,
    CASE
        WHEN d.incident_id IS NULL THEN 'no register entry'
        ELSE NULLIF(CONCAT_WS(', ',
            CASE WHEN d.facts IS NULL THEN 'facts' END,
            CASE WHEN d.effects IS NULL THEN 'effects' END,
            CASE WHEN d.remedial_action IS NULL THEN 'remedial action' END
        ), '')
    END AS missing
FROM security_incidents AS i
LEFT JOIN incident_details AS d ON d.incident_id = i.incident_id
WHERE i.is_personal_data_breach
  AND i.detected_at >= :period_start AND i.detected_at < :period_end
ORDER BY missing NULLS LAST, i.detected_at, i.incident_id
