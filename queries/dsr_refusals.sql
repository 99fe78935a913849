-- name: dsr_refusals
-- description: Requests refused whose one-month notice deadline falls in the period, and whether the subject was told in time, with reasons and the right to complain or seek a remedy (GDPR Art. 12(4)).
-- tables: data_subject_requests, dsr_outcomes
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- param: response_months integer = 1
-- column: request_id integer
-- column: request_type text
-- column: received_at timestamp
-- column: due_at timestamp
-- column: refused_at timestamp
-- column: problem text
WITH refused AS (
    SELECT
        r.request_id,
        r.request_type,
        r.received_at,
        r.received_at + :response_months * INTERVAL '1 month' AS due_at,
        o.refused_at,
        o.refusal_reasons,
        o.remedy_notice
    FROM data_subject_requests AS r
    JOIN dsr_outcomes AS o ON o.request_id = r.request_id
    WHERE o.outcome = 'refused'
)
SELECT
    request_id,
    request_type,
    received_at,
    due_at,
    refused_at,
    CASE
        WHEN COALESCE(refused_at, :period_end) > due_at THEN 'notice later than one month'
        WHEN refusal_reasons IS NULL THEN 'no reasons given'
        WHEN NOT COALESCE(remedy_notice, FALSE) THEN 'right to complain not stated'
    END AS problem
FROM refused
WHERE due_at >= :period_start AND due_at < :period_end
ORDER BY problem NULLS LAST, due_at, request_id
