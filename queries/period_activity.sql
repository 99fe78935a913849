-- name: period_activity
-- description: How many audit events and login attempts the period holds; zero means the data does not cover it.
-- tables: audit_log, login_attempts
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: audit_events integer
-- column: login_attempts integer
SELECT
    (SELECT COUNT(*) FROM audit_log
      WHERE created_at >= :period_start AND created_at < :period_end) AS audit_events,
    (SELECT COUNT(*) FROM login_attempts
      WHERE created_at >= :period_start AND created_at < :period_end) AS login_attempts
