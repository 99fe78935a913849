-- name: breach_subject_notices
-- description: High-risk personal-data breaches detected in the period, and whether the data subjects were told or an Art. 34(3) exemption was recorded (GDPR Art. 34).
-- tables: security_incidents, incident_details
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: incident_id integer
-- column: title text
-- column: detected_at timestamp
-- column: subjects_notified_at timestamp
-- column: subject_notice_exemption text
-- column: is_unnotified boolean
SELECT
    i.incident_id,
    i.title,
    i.detected_at,
    d.subjects_notified_at,
    d.subject_notice_exemption,
    d.subjects_notified_at IS NULL AND d.subject_notice_exemption IS NULL AS is_unnotified
FROM security_incidents AS i
JOIN incident_details AS d ON d.incident_id = i.incident_id
WHERE i.is_personal_data_breach AND d.risk_level = 'high'
  AND i.detected_at >= :period_start AND i.detected_at < :period_end
ORDER BY is_unnotified DESC, i.detected_at, i.incident_id
