-- name: session_violations_by_user
-- description: Per account, the sessions started in the period that broke the idle timeout, carried no authentication, or came from outside without a second factor (PCI DSS 8.2.8, 8.3.1, 8.4.3).
-- tables: sessions, users
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- param: max_idle_minutes integer = 15
-- column: user_id integer
-- column: username text
-- column: idle_violations integer
-- column: unauthenticated integer
-- column: external_without_mfa integer
-- column: longest_idle_minutes float
SELECT
    s.user_id,
    u.username,
    COUNT(*) FILTER (WHERE s.longest_idle_minutes > :max_idle_minutes
                        OR s.idle_timeout_minutes > :max_idle_minutes) AS idle_violations,
    COUNT(*) FILTER (WHERE COALESCE(s.auth_factors, 0) = 0) AS unauthenticated,
    COUNT(*) FILTER (WHERE s.is_external AND COALESCE(s.auth_factors, 0) < 2)
        AS external_without_mfa,
    MAX(s.longest_idle_minutes) AS longest_idle_minutes
FROM sessions AS s
LEFT JOIN users AS u ON u.user_id = s.user_id
WHERE s.started_at >= :period_start AND s.started_at < :period_end
  AND (s.longest_idle_minutes > :max_idle_minutes
       OR s.idle_timeout_minutes > :max_idle_minutes
       OR COALESCE(s.auth_factors, 0) = 0
       OR (s.is_external AND COALESCE(s.auth_factors, 0) < 2))
GROUP BY s.user_id, u.username
ORDER BY s.user_id
