-- name: security_test_status
-- description: The latest penetration test, vulnerability scan or assessment before the period end, and whether it lies within max_months (GDPR Art. 32(1)(d)).
-- tables: security_tests
-- state: period_end
-- param: period_end timestamp
-- param: max_months integer = 12
-- column: last_test_at timestamp
-- column: recent_kinds text
-- column: problem text
SELECT
    MAX(completed_at) AS last_test_at,
    STRING_AGG(DISTINCT kind, ', ' ORDER BY kind)
        FILTER (WHERE completed_at >= :period_end - :max_months * INTERVAL '1 month')
        AS recent_kinds,
    CASE
        WHEN MAX(completed_at) IS NULL THEN 'no test recorded'
        WHEN MAX(completed_at) < :period_end - :max_months * INTERVAL '1 month'
            THEN 'last test too long ago'
    END AS problem
FROM security_tests
WHERE completed_at < :period_end
