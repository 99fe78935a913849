-- name: automated_decision_safeguards
-- description: Solely automated decisions with legal or similarly significant effect made in the period, flagging those without an Art. 22(2) basis, without human intervention offered, or with a requested human review not done (GDPR Art. 22).
-- tables: automated_decisions
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: decision_id integer
-- column: subject_id integer
-- column: decided_at timestamp
-- column: exception_basis text
-- column: review_requested_at timestamp
-- column: review_done_at timestamp
-- column: problem text
SELECT
    decision_id,
    subject_id,
    decided_at,
    exception_basis,
    review_requested_at,
    review_done_at,
    CASE
        WHEN exception_basis IS NULL THEN 'no Art. 22(2) basis'
        WHEN exception_basis <> 'law' AND NOT COALESCE(human_review_offered, FALSE)
            THEN 'human intervention not offered'
        WHEN review_requested_at IS NOT NULL AND review_done_at IS NULL
            THEN 'requested review not done'
    END AS problem
FROM automated_decisions
WHERE has_legal_effect AND is_solely_automated
  AND decided_at >= :period_start AND decided_at < :period_end
ORDER BY problem NULLS LAST, decided_at, decision_id
