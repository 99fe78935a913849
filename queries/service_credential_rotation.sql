-- name: service_credential_rotation
-- description: Enabled application and system accounts with the age of their credential at the period end, against the rotation interval the targeted risk analysis for PCI DSS 8.6.3 sets.
-- tables: users, credentials, risk_analyses
-- state: period_end
-- note: Credentials are the current state: a secret rotated after the period end hides how old the one in use during the period was.
-- param: period_end timestamp
-- column: user_id integer
-- column: username text
-- column: credential_set_at timestamp
-- column: interval_days integer
-- column: problem text
WITH analysis AS (
    SELECT frequency_days
    FROM risk_analyses
    WHERE requirement = '8.6.3' AND reviewed_at < :period_end
    ORDER BY reviewed_at DESC, analysis_id DESC
    LIMIT 1
),
latest AS (
    SELECT user_id, MAX(set_at) AS set_at
    FROM credentials
    GROUP BY user_id
)
SELECT
    u.user_id,
    u.username,
    c.set_at AS credential_set_at,
    a.frequency_days AS interval_days,
    CASE
        WHEN a.frequency_days IS NULL THEN 'no targeted risk analysis sets the interval'
        WHEN c.set_at IS NULL THEN 'no credential recorded'
        WHEN c.set_at < :period_end - a.frequency_days * INTERVAL '1 day'
            THEN 'not rotated within the interval'
    END AS problem
FROM users AS u
LEFT JOIN latest AS c ON c.user_id = u.user_id
LEFT JOIN analysis AS a ON TRUE
WHERE u.is_service_account AND u.status IN ('active', 'locked')
ORDER BY problem NULLS LAST, u.user_id
