-- name: restore_test_status
-- description: The latest restore test of each system before the period end, flagging systems last tested more than max_months before it, whose test failed, or whose restore exceeded its recovery time objective (GDPR Art. 32(1)(c)).
-- tables: restore_tests
-- state: period_end
-- param: period_end timestamp
-- param: max_months integer = 12
-- column: system text
-- column: tested_at timestamp
-- column: succeeded boolean
-- column: rto_minutes integer
-- column: restore_minutes integer
-- column: problem text
WITH ranked AS (
    SELECT
        *,
        ROW_NUMBER() OVER (PARTITION BY system ORDER BY tested_at DESC, test_id DESC) AS n
    FROM restore_tests
    WHERE tested_at < :period_end
)
SELECT
    system,
    tested_at,
    succeeded,
    rto_minutes,
    restore_minutes,
    CASE
        WHEN tested_at < :period_end - :max_months * INTERVAL '1 month'
            THEN 'last test too long ago'
        WHEN NOT succeeded THEN 'restore failed'
        WHEN restore_minutes > rto_minutes THEN 'restore slower than its objective'
    END AS problem
FROM ranked
WHERE n = 1
UNION ALL
SELECT NULL, NULL, NULL, NULL, NULL, 'no restore test recorded'
WHERE NOT EXISTS (SELECT 1 FROM restore_tests WHERE tested_at < :period_end)
ORDER BY problem NULLS LAST, system
