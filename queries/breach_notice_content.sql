-- name: breach_notice_content
-- description: Breach notices sent to the supervisory authority in the period, and whether each held the content Art. 33(3) requires (GDPR Art. 33(3), 33(4)).
-- tables: security_incidents, incident_details
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: incident_id integer
-- column: title text
-- column: authority_notified_at timestamp
-- column: notice_complete boolean
-- column: is_incomplete boolean
SELECT
    i.incident_id,
    i.title,
    i.authority_notified_at,
    d.notice_complete,
    NOT COALESCE(d.notice_complete, FALSE) AS is_incomplete
FROM security_incidents AS i
LEFT JOIN incident_details AS d ON d.incident_id = i.incident_id
WHERE i.is_personal_data_breach
  AND i.authority_notified_at >= :period_start AND i.authority_notified_at < :period_end
ORDER BY is_incomplete DESC, i.authority_notified_at, i.incident_id
