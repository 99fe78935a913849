-- name: session_controls
-- description: Sessions started in the period, and how many ran idle past max_idle_minutes without re-authentication, carried no recorded authentication, or came from outside without a second factor (PCI DSS 8.2.8, 8.3.1, 8.4.3).
-- tables: sessions
-- state: period
-- note: A session is idle-compliant when its configured timeout is at most max_idle_minutes and no gap between its requests exceeded it without re-authentication. POS single-card accounts, which 8.2.8 exempts, should not be recorded here.
-- param: period_start timestamp
-- param: period_end timestamp
-- param: max_idle_minutes integer = 15
-- column: sessions integer
-- column: idle_violations integer
-- column: unauthenticated integer
-- column: external_sessions integer
-- column: external_without_mfa integer
SELECT
    COUNT(*) AS sessions,
    COUNT(*) FILTER (WHERE longest_idle_minutes > :max_idle_minutes
                        OR idle_timeout_minutes > :max_idle_minutes) AS idle_violations,
    COUNT(*) FILTER (WHERE COALESCE(auth_factors, 0) = 0) AS unauthenticated,
    COUNT(*) FILTER (WHERE is_external) AS external_sessions,
    COUNT(*) FILTER (WHERE is_external AND COALESCE(auth_factors, 0) < 2)
        AS external_without_mfa
FROM sessions
WHERE started_at >= :period_start AND started_at < :period_end
