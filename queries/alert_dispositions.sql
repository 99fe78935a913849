-- name: alert_dispositions
-- description: High and critical alerts from security monitoring raised in the period that led neither to an incident nor to a documented dismissal (PCI DSS 12.10.5).
-- tables: security_alerts
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: alert_id integer
-- column: source text
-- column: severity text
-- column: raised_at timestamp
SELECT alert_id, source, severity, raised_at
FROM security_alerts
WHERE severity IN ('high', 'critical')
  AND raised_at >= :period_start AND raised_at < :period_end
  AND incident_id IS NULL
  AND (dismissed_reason IS NULL OR dismissed_by IS NULL)
ORDER BY raised_at, alert_id
