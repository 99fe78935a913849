-- name: erasure_requests
-- description: Erasure requests completed or due in the period: late against GDPR Art. 12(3), or with personal data still found after completion and no Art. 17(3) exception recorded (GDPR Art. 17).
-- tables: data_subject_requests, dsr_outcomes
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- param: response_months integer = 1
-- param: extension_months integer = 2
-- column: request_id integer
-- column: received_at timestamp
-- column: due_at timestamp
-- column: completed_at timestamp
-- column: residual_records integer
-- column: erasure_exception text
-- column: problem text
WITH due AS (
    SELECT
        r.request_id,
        r.received_at,
        r.completed_at,
        CASE
            WHEN r.extended_at IS NOT NULL
             AND r.extended_at <= r.received_at + :response_months * INTERVAL '1 month'
            THEN r.received_at + (:response_months + :extension_months) * INTERVAL '1 month'
            ELSE r.received_at + :response_months * INTERVAL '1 month'
        END AS due_at,
        o.residual_records,
        o.erasure_exception
    FROM data_subject_requests AS r
    LEFT JOIN dsr_outcomes AS o ON o.request_id = r.request_id
    WHERE r.request_type = 'erase'
)
SELECT
    request_id,
    received_at,
    due_at,
    completed_at,
    residual_records,
    erasure_exception,
    CASE
        WHEN COALESCE(completed_at, :period_end) > due_at THEN 'erased late'
        WHEN COALESCE(residual_records, 0) > 0 AND erasure_exception IS NULL
            THEN 'data left after erasure'
    END AS problem
FROM due
WHERE (completed_at >= :period_start AND completed_at < :period_end)
   OR (due_at >= :period_start AND due_at < :period_end)
   OR (due_at < :period_start AND completed_at IS NULL)
ORDER BY problem NULLS LAST, due_at, request_id
