-- name: dsr_deadlines
-- description: Data-subject requests due in the period, or overdue and still open during it, with their GDPR Art. 12(3) due time and lateness.
-- tables: data_subject_requests
-- state: period
-- note: Due is receipt plus response_months calendar months, or plus response_months + extension_months when the subject was told of an extension within the first period (our reading of Art. 12(3); month ends clamp, so 31 January + 1 month is the end of February).
-- param: period_start timestamp
-- param: period_end timestamp
-- param: response_months integer = 1
-- param: extension_months integer = 2
-- column: request_id integer
-- column: request_type text
-- column: received_at timestamp
-- column: extended_at timestamp
-- column: due_at timestamp
-- column: completed_at timestamp
-- column: days_late integer
-- column: is_late boolean
WITH due AS (
    SELECT
        request_id,
        request_type,
        received_at,
        extended_at,
        completed_at,
        CASE
            WHEN extended_at IS NOT NULL
             AND extended_at <= received_at + :response_months * INTERVAL '1 month'
            THEN received_at + (:response_months + :extension_months) * INTERVAL '1 month'
            ELSE received_at + :response_months * INTERVAL '1 month'
        END AS due_at
    FROM data_subject_requests
),
judged AS (
    SELECT
        *,
        COALESCE(completed_at, :period_end) > due_at AS is_late
    FROM due
    WHERE (due_at >= :period_start AND due_at < :period_end)
       OR (due_at < :period_start
           AND (completed_at IS NULL OR completed_at >= :period_start))
)
SELECT
    request_id,
    request_type,
    received_at,
    extended_at,
    due_at,
    completed_at,
    CASE WHEN is_late
         THEN CAST(COALESCE(completed_at, :period_end) AT TIME ZONE 'UTC' AS DATE)
              - CAST(due_at AT TIME ZONE 'UTC' AS DATE)
    END AS days_late,
    is_late
FROM judged
ORDER BY is_late DESC, due_at, request_id
