-- name: restricted_processing
-- description: Uses of personal data in the period, other than storage, while the subject's processing was restricted (GDPR Art. 18).
-- tables: personal_data_uses, data_subjects
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: subject_id integer
-- column: purpose text
-- column: uses integer
-- column: first_at timestamp
-- column: last_at timestamp
SELECT
    u.subject_id,
    u.purpose,
    COUNT(*) AS uses,
    MIN(u.used_at) AS first_at,
    MAX(u.used_at) AS last_at
FROM personal_data_uses AS u
JOIN data_subjects AS s ON s.subject_id = u.subject_id
WHERE u.used_at >= :period_start AND u.used_at < :period_end
  AND s.restricted_at <= u.used_at
  AND (s.restriction_lifted_at IS NULL OR s.restriction_lifted_at > u.used_at)
  AND COALESCE(u.purpose, '') <> 'storage'
GROUP BY u.subject_id, u.purpose
ORDER BY u.subject_id, u.purpose
