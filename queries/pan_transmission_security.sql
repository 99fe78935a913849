-- name: pan_transmission_security
-- description: Transmissions of PAN in the period, grouped by endpoint, protocol and the state of the certificate presented; insecure when the protocol is not in allowed_protocols or the certificate was expired, revoked or untrusted (PCI DSS 4.2.1, 4.2.1.1).
-- tables: transmissions, certificates
-- state: period
-- note: PCI DSS names no protocol version; allowed_protocols is the entity's floor (TLS 1.2 and later is common practice, not a rule of the standard).
-- param: period_start timestamp
-- param: period_end timestamp
-- param: allowed_protocols text = 'TLSv1.2,TLSv1.3'
-- column: endpoint text
-- column: protocol text
-- column: certificate_state text
-- column: transmissions integer
-- column: first_at timestamp
-- column: last_at timestamp
-- column: is_insecure boolean
-- column: not_in_inventory boolean
WITH judged AS (
    SELECT
        t.endpoint,
        t.protocol,
        t.occurred_at,
        CASE
            WHEN c.certificate_id IS NULL THEN 'not in inventory'
            WHEN c.revoked_at <= t.occurred_at THEN 'revoked'
            WHEN c.not_after <= t.occurred_at THEN 'expired'
            WHEN NOT c.is_trusted THEN 'untrusted'
            ELSE 'valid'
        END AS certificate_state
    FROM transmissions AS t
    LEFT JOIN certificates AS c ON c.fingerprint = t.certificate_fingerprint
    WHERE t.carries_pan
      AND t.occurred_at >= :period_start AND t.occurred_at < :period_end
)
SELECT
    endpoint,
    protocol,
    certificate_state,
    COUNT(*) AS transmissions,
    MIN(occurred_at) AS first_at,
    MAX(occurred_at) AS last_at,
    COALESCE(POSITION(',' || protocol || ',' IN ',' || :allowed_protocols || ',') = 0, TRUE)
        OR certificate_state IN ('revoked', 'expired', 'untrusted') AS is_insecure,
    certificate_state = 'not in inventory' AS not_in_inventory
FROM judged
GROUP BY endpoint, protocol, certificate_state
ORDER BY is_insecure DESC, not_in_inventory DESC, endpoint, protocol
