-- name: ropa_completeness
-- description: Processing activities of the register with the Art. 30(1)(a)-(g) entries each lacks (contact, purpose, subjects, data, recipients, transfers, erasure limit, security); an empty register is itself a finding (GDPR Art. 30).
-- tables: processing_activities
-- state: current
-- column: activity_id integer
-- column: name text
-- column: missing text
SELECT activity_id, name, missing
FROM (
    SELECT
        activity_id,
        name,
        NULLIF(CONCAT_WS(', ',
            CASE WHEN controller_contact IS NULL THEN 'controller contact' END,
            CASE WHEN purpose IS NULL THEN 'purpose' END,
            CASE WHEN subject_categories IS NULL THEN 'subject categories' END,
            CASE WHEN data_categories IS NULL THEN 'data categories' END,
            CASE WHEN recipients IS NULL THEN 'recipients' END,
            CASE WHEN third_country_transfers IS NULL THEN 'transfers' END,
            CASE WHEN erasure_time_limit IS NULL THEN 'erasure time limit' END,
            CASE WHEN security_measures IS NULL THEN 'security measures' END
        ), '') AS missing
    FROM processing_activities
    UNION ALL
    SELECT NULL, NULL, 'the register holds no activity'
    WHERE NOT EXISTS (SELECT 1 FROM processing_activities)
) AS judged
ORDER BY missing NULLS LAST, activity_id NULLS FIRST
