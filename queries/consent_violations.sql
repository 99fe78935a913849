-- name: consent_violations
-- description: Data subjects whose personal data was used in the period for a consent-based purpose without their consent, or after they withdrew it (GDPR Arts. 7(1), 7(3)).
-- tables: personal_data_uses, processing_activities, consents
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: subject_id integer
-- column: purpose text
-- column: violation text
-- column: uses integer
-- column: first_at timestamp
-- column: last_at timestamp
WITH judged AS (
    SELECT
        u.subject_id,
        u.purpose,
        u.used_at,
        CASE
            WHEN NOT EXISTS (
                SELECT 1 FROM consents AS c
                WHERE c.subject_id = u.subject_id AND c.purpose = u.purpose
                  AND c.given_at <= u.used_at
            ) THEN 'no consent'
            WHEN NOT EXISTS (
                SELECT 1 FROM consents AS c
                WHERE c.subject_id = u.subject_id AND c.purpose = u.purpose
                  AND c.given_at <= u.used_at
                  AND (c.withdrawn_at IS NULL OR c.withdrawn_at > u.used_at)
            ) THEN 'after withdrawal'
        END AS violation
    FROM personal_data_uses AS u
    WHERE u.used_at >= :period_start AND u.used_at < :period_end
      AND u.purpose IN (SELECT purpose FROM processing_activities WHERE legal_basis = 'consent')
)
SELECT subject_id, purpose, violation, COUNT(*) AS uses, MIN(used_at) AS first_at,
       MAX(used_at) AS last_at
FROM judged
WHERE violation IS NOT NULL
GROUP BY subject_id, purpose, violation
ORDER BY subject_id, purpose, violation
