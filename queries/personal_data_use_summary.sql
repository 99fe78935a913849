-- name: personal_data_use_summary
-- description: Uses of personal data in the period per purpose: those resting on consent, those made without any consent of the subject for the purpose, after its withdrawal, or with neither a purpose nor a business reference (GDPR Arts. 7(1), 7(3), 32(4)).
-- tables: personal_data_uses, processing_activities, consents
-- state: period
-- note: A consent covers a use when it was given for the same subject and purpose before the use and not withdrawn before it.
-- param: period_start timestamp
-- param: period_end timestamp
-- column: purpose text
-- column: legal_basis text
-- column: uses integer
-- column: consent_based_uses integer
-- column: uses_without_consent integer
-- column: uses_after_withdrawal integer
-- column: uses_without_reason integer
WITH uses AS (
    SELECT
        u.purpose,
        (SELECT MAX(a.legal_basis) FROM processing_activities AS a
          WHERE a.purpose = u.purpose) AS legal_basis,
        u.ticket,
        EXISTS (
            SELECT 1 FROM consents AS c
            WHERE c.subject_id = u.subject_id AND c.purpose = u.purpose
              AND c.given_at <= u.used_at
        ) AS ever_consented,
        EXISTS (
            SELECT 1 FROM consents AS c
            WHERE c.subject_id = u.subject_id AND c.purpose = u.purpose
              AND c.given_at <= u.used_at
              AND (c.withdrawn_at IS NULL OR c.withdrawn_at > u.used_at)
        ) AS consented
    FROM personal_data_uses AS u
    WHERE u.used_at >= :period_start AND u.used_at < :period_end
)
SELECT
    purpose,
    legal_basis,
    COUNT(*) AS uses,
    COUNT(*) FILTER (WHERE legal_basis = 'consent') AS consent_based_uses,
    COUNT(*) FILTER (WHERE legal_basis = 'consent' AND NOT ever_consented)
        AS uses_without_consent,
    COUNT(*) FILTER (WHERE legal_basis = 'consent' AND ever_consented AND NOT consented)
        AS uses_after_withdrawal,
    COUNT(*) FILTER (WHERE purpose IS NULL AND ticket IS NULL) AS uses_without_reason
FROM uses
GROUP BY purpose, legal_basis
ORDER BY purpose NULLS FIRST
