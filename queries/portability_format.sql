-- name: portability_format
-- description: Portability requests completed in the period, and whether the data went out in a structured, machine-readable format (GDPR Art. 20).
-- tables: data_subject_requests, dsr_outcomes
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- param: machine_formats text = 'json,csv,xml'
-- column: request_id integer
-- column: completed_at timestamp
-- column: delivery_format text
-- column: problem text
SELECT
    r.request_id,
    r.completed_at,
    o.delivery_format,
    CASE
        WHEN COALESCE(o.outcome, '') = 'refused' THEN NULL
        WHEN COALESCE(POSITION(',' || LOWER(o.delivery_format) || ',' IN
                               ',' || :machine_formats || ','), 0) = 0
            THEN 'not a machine-readable format'
    END AS problem
FROM data_subject_requests AS r
LEFT JOIN dsr_outcomes AS o ON o.request_id = r.request_id
WHERE r.request_type = 'portability'
  AND r.completed_at >= :period_start AND r.completed_at < :period_end
ORDER BY problem NULLS LAST, r.completed_at, r.request_id
