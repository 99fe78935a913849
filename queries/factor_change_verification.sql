-- name: factor_change_verification
-- description: Changes of authentication factors (password resets, MFA enrolments) in the period, per factor, and how many were not preceded by identity verification (PCI DSS 8.3.3).
-- tables: factor_changes
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: factor text
-- column: changes integer
-- column: unverified integer
SELECT
    factor,
    COUNT(*) AS changes,
    COUNT(*) FILTER (WHERE verified_at IS NULL OR verified_at > changed_at) AS unverified
FROM factor_changes
WHERE changed_at >= :period_start AND changed_at < :period_end
GROUP BY factor
ORDER BY factor
