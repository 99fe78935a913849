-- name: key_cryptoperiods
-- description: Encryption keys active at the period end, with the end of their defined cryptoperiod; a key still active past it is overdue for rotation (PCI DSS 3.7.4).
-- tables: crypto_keys
-- state: period_end
-- param: period_end timestamp
-- column: key_id integer
-- column: purpose text
-- column: created_at timestamp
-- column: cryptoperiod_days integer
-- column: period_ends_at timestamp
-- column: is_overdue boolean
SELECT
    key_id,
    purpose,
    created_at,
    cryptoperiod_days,
    created_at + cryptoperiod_days * INTERVAL '1 day' AS period_ends_at,
    created_at + cryptoperiod_days * INTERVAL '1 day' < :period_end AS is_overdue
FROM crypto_keys
WHERE created_at < :period_end
  AND (retired_at IS NULL OR retired_at >= :period_end)
ORDER BY is_overdue DESC, key_id
