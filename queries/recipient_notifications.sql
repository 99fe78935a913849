-- name: recipient_notifications
-- description: Rectification, erasure and restriction requests completed in the period, and whether recipients of the data were told or an impossibility was recorded (GDPR Art. 19).
-- tables: data_subject_requests, dsr_outcomes
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: request_id integer
-- column: request_type text
-- column: completed_at timestamp
-- column: recipients_notified_at timestamp
-- column: problem text
SELECT
    r.request_id,
    r.request_type,
    r.completed_at,
    o.recipients_notified_at,
    CASE
        WHEN o.recipients_notified_at IS NULL AND o.recipients_exemption IS NULL
         AND COALESCE(o.outcome, '') <> 'refused'
            THEN 'recipients not told'
    END AS problem
FROM data_subject_requests AS r
LEFT JOIN dsr_outcomes AS o ON o.request_id = r.request_id
WHERE r.request_type IN ('rectify', 'erase', 'restrict')
  AND r.completed_at >= :period_start AND r.completed_at < :period_end
ORDER BY problem NULLS LAST, r.completed_at, r.request_id
