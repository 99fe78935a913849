-- name: incident_response_times
-- description: Security incidents detected in the period with their time to acknowledge and to resolve against the target for their severity.
-- tables: security_incidents
-- state: period
-- note: An incident still unacknowledged or unresolved is measured up to the period end, so it is late only once its target has passed. An unknown severity has no target and is flagged.
-- param: period_start timestamp
-- param: period_end timestamp
-- param: sev1_respond_minutes integer = 15
-- param: sev1_resolve_minutes integer = 240
-- param: sev2_respond_minutes integer = 30
-- param: sev2_resolve_minutes integer = 480
-- param: sev3_respond_minutes integer = 120
-- param: sev3_resolve_minutes integer = 1440
-- param: sev4_respond_minutes integer = 240
-- param: sev4_resolve_minutes integer = 4320
-- column: incident_id integer
-- column: title text
-- column: severity text
-- column: detected_at timestamp
-- column: acknowledged_at timestamp
-- column: resolved_at timestamp
-- column: respond_minutes float
-- column: respond_target_minutes integer
-- column: resolve_minutes float
-- column: resolve_target_minutes integer
-- column: missed text
-- column: is_late boolean
WITH targets AS (
    SELECT
        incident_id,
        title,
        severity,
        detected_at,
        acknowledged_at,
        resolved_at,
        CASE severity
            WHEN 'SEV-1' THEN :sev1_respond_minutes
            WHEN 'SEV-2' THEN :sev2_respond_minutes
            WHEN 'SEV-3' THEN :sev3_respond_minutes
            WHEN 'SEV-4' THEN :sev4_respond_minutes
        END AS respond_target_minutes,
        CASE severity
            WHEN 'SEV-1' THEN :sev1_resolve_minutes
            WHEN 'SEV-2' THEN :sev2_resolve_minutes
            WHEN 'SEV-3' THEN :sev3_resolve_minutes
            WHEN 'SEV-4' THEN :sev4_resolve_minutes
        END AS resolve_target_minutes
    FROM security_incidents
    WHERE detected_at >= :period_start AND detected_at < :period_end
),
measured AS (
    SELECT
        *,
        EXTRACT(EPOCH FROM (COALESCE(acknowledged_at, :period_end) - detected_at)) / 60.0
            AS respond_minutes,
        EXTRACT(EPOCH FROM (COALESCE(resolved_at, :period_end) - detected_at)) / 60.0
            AS resolve_minutes
    FROM targets
),
judged AS (
    SELECT
        *,
        CASE
            WHEN respond_target_minutes IS NULL THEN 'unknown severity'
            WHEN respond_minutes > respond_target_minutes
             AND resolve_minutes > resolve_target_minutes THEN 'respond, resolve'
            WHEN respond_minutes > respond_target_minutes THEN 'respond'
            WHEN resolve_minutes > resolve_target_minutes THEN 'resolve'
        END AS missed
    FROM measured
)
SELECT
    incident_id,
    title,
    severity,
    detected_at,
    acknowledged_at,
    resolved_at,
    respond_minutes,
    respond_target_minutes,
    resolve_minutes,
    resolve_target_minutes,
    missed,
    missed IS NOT NULL AS is_late
FROM judged
ORDER BY is_late DESC, detected_at, incident_id
