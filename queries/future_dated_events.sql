-- name: future_dated_events
-- description: Audit events and login attempts stamped later than the moment of the audit (plus tolerance_minutes): clocks out of sync or tampered timestamps (PCI DSS 10.6.1-10.6.3).
-- tables: audit_log, login_attempts
-- state: current
-- note: as_of is the time the audit ran, bound by nexus_audit, so the rows depend on when the audit runs but never on the database's own clock.
-- param: as_of timestamp
-- param: tolerance_minutes integer = 5
-- column: source text
-- column: rows_ahead integer
-- column: first_at timestamp
-- column: latest_at timestamp
SELECT 'audit_log' AS source, COUNT(*) AS rows_ahead, MIN(created_at) AS first_at,
       MAX(created_at) AS latest_at
FROM audit_log
WHERE created_at > :as_of + :tolerance_minutes * INTERVAL '1 minute'
HAVING COUNT(*) > 0
UNION ALL
SELECT 'login_attempts', COUNT(*), MIN(created_at), MAX(created_at)
FROM login_attempts
WHERE created_at > :as_of + :tolerance_minutes * INTERVAL '1 minute'
HAVING COUNT(*) > 0
ORDER BY source
