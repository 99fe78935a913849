-- name: marketing_after_objection
-- description: Uses of personal data for direct marketing in the period after the subject objected to it, which Art. 21(3) forbids absolutely (GDPR Art. 21).
-- tables: personal_data_uses, data_subjects
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- param: marketing_purpose text = 'marketing'
-- column: subject_id integer
-- column: objected_at timestamp
-- column: uses integer
-- column: first_at timestamp
-- column: last_at timestamp
SELECT
    u.subject_id,
    s.marketing_objection_at AS objected_at,
    COUNT(*) AS uses,
    MIN(u.used_at) AS first_at,
    MAX(u.used_at) AS last_at
FROM personal_data_uses AS u
JOIN data_subjects AS s ON s.subject_id = u.subject_id
WHERE u.purpose = :marketing_purpose
  AND u.used_at >= :period_start AND u.used_at < :period_end
  AND s.marketing_objection_at <= u.used_at
GROUP BY u.subject_id, s.marketing_objection_at
ORDER BY u.subject_id
