-- name: child_consents
-- description: Consents given in the period by data subjects younger than consent_age at the time, and whether parental consent was recorded before (GDPR Art. 8(1)).
-- tables: consents, data_subjects
-- state: period
-- note: consent_age is 16 unless the Member State set a lower age, never below 13.
-- param: period_start timestamp
-- param: period_end timestamp
-- param: consent_age integer = 16
-- column: consent_id integer
-- column: subject_id integer
-- column: purpose text
-- column: given_at timestamp
-- column: birth_date date
-- column: parental_consent_at timestamp
-- column: lacks_parental_consent boolean
SELECT
    c.consent_id,
    c.subject_id,
    c.purpose,
    c.given_at,
    s.birth_date,
    s.parental_consent_at,
    COALESCE(s.parental_consent_at > c.given_at, TRUE) AS lacks_parental_consent
FROM consents AS c
JOIN data_subjects AS s ON s.subject_id = c.subject_id
WHERE c.given_at >= :period_start AND c.given_at < :period_end
  AND s.birth_date + :consent_age * INTERVAL '1 year' > c.given_at
ORDER BY lacks_parental_consent DESC, c.given_at, c.consent_id
