-- name: card_data_storage
-- description: Counts over the data inventory's card-data fields: sensitive authentication data kept after authorisation, pre-authorisation SAD not encrypted, and stored PAN not rendered unreadable (PCI DSS 3.3.1, 3.3.2, 3.5.1).
-- tables: data_inventory
-- state: current
-- note: The inventory is the latest data-discovery scan; a field counts as stored when its scan found filled values. Allowed PAN protections are encrypted, tokenised, keyed_hash and truncated (a plain hash does not count, 3.5.1.1).
-- column: fields_scanned integer
-- column: sad_fields_post_auth integer
-- column: sad_stored_post_auth integer
-- column: sad_fields_pre_auth integer
-- column: sad_pre_auth_unencrypted integer
-- column: pan_fields integer
-- column: pan_readable integer
SELECT
    COUNT(*) AS fields_scanned,
    COUNT(*) FILTER (WHERE data_class = 'sad' AND COALESCE(stage, '') <> 'pre_auth')
        AS sad_fields_post_auth,
    COUNT(*) FILTER (WHERE data_class = 'sad' AND COALESCE(stage, '') <> 'pre_auth'
                       AND COALESCE(non_null_rows, 0) > 0) AS sad_stored_post_auth,
    COUNT(*) FILTER (WHERE data_class = 'sad' AND stage = 'pre_auth') AS sad_fields_pre_auth,
    COUNT(*) FILTER (WHERE data_class = 'sad' AND stage = 'pre_auth'
                       AND COALESCE(protection, 'none') <> 'encrypted')
        AS sad_pre_auth_unencrypted,
    COUNT(*) FILTER (WHERE data_class = 'pan') AS pan_fields,
    COUNT(*) FILTER (WHERE data_class = 'pan'
                       AND COALESCE(protection, 'none')
                           NOT IN ('encrypted', 'tokenised', 'keyed_hash', 'truncated'))
        AS pan_readable
FROM data_inventory
