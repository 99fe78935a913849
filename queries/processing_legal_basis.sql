-- name: processing_legal_basis
-- description: Processing activities of the register with their legal basis, flagging any without one of the six bases of GDPR Art. 6(1); an empty register is itself a finding.
-- tables: processing_activities
-- state: current
-- column: activity_id integer
-- column: name text
-- column: purpose text
-- column: legal_basis text
-- column: problem text
SELECT
    activity_id,
    name,
    purpose,
    legal_basis,
    CASE
        WHEN COALESCE(legal_basis, '') NOT IN ('consent', 'contract', 'legal_obligation',
                                               'vital_interests', 'public_task',
                                               'legitimate_interests')
            THEN 'no valid legal basis'
    END AS problem
FROM processing_activities
UNION ALL
SELECT NULL, NULL, NULL, NULL, 'no processing activity recorded'
WHERE NOT EXISTS (SELECT 1 FROM processing_activities)
ORDER BY problem, activity_id
