-- name: dsr_fees_identity
-- description: Requests completed in the period with a fee charged and no justification recorded, or with data disclosed (access, portability) before the requester's identity was verified (GDPR Art. 12(5), 12(6)).
-- tables: data_subject_requests, dsr_outcomes
-- state: period
-- param: period_start timestamp
-- param: period_end timestamp
-- column: request_id integer
-- column: request_type text
-- column: completed_at timestamp
-- column: fee_charged float
-- column: identity_verified_at timestamp
-- column: problem text
SELECT
    r.request_id,
    r.request_type,
    r.completed_at,
    o.fee_charged,
    o.identity_verified_at,
    CASE
        WHEN o.request_id IS NULL THEN 'no outcome recorded'
        WHEN COALESCE(o.fee_charged, 0) > 0 AND o.fee_justification IS NULL
            THEN 'fee charged without justification'
        WHEN r.request_type IN ('access', 'portability')
         AND COALESCE(o.identity_verified_at > r.completed_at, TRUE)
         AND COALESCE(o.outcome, '') <> 'refused'
            THEN 'disclosed before identity was verified'
    END AS problem
FROM data_subject_requests AS r
LEFT JOIN dsr_outcomes AS o ON o.request_id = r.request_id
WHERE r.completed_at >= :period_start AND r.completed_at < :period_end
ORDER BY problem NULLS LAST, r.completed_at, r.request_id
