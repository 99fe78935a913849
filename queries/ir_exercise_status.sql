-- name: ir_exercise_status
-- description: The latest test or exercise of the incident response plan (security_tests of kind ir_exercise) before the period end, and whether it lies within max_months (PCI DSS 12.10.2).
-- tables: security_tests
-- state: period_end
-- param: period_end timestamp
-- param: max_months integer = 12
-- column: last_exercise_at timestamp
-- column: problem text
SELECT
    MAX(completed_at) AS last_exercise_at,
    CASE
        WHEN MAX(completed_at) IS NULL THEN 'no exercise recorded'
        WHEN MAX(completed_at) < :period_end - :max_months * INTERVAL '1 month'
            THEN 'last exercise too long ago'
    END AS problem
FROM security_tests
WHERE kind = 'ir_exercise' AND completed_at < :period_end
