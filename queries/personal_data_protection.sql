-- name: personal_data_protection
-- description: Personal-data fields that the classification policy requires to be protected, and whether each is pseudonymised, encrypted or tokenised (GDPR Art. 32(1)(a)).
-- tables: data_inventory
-- state: current
-- column: store text
-- column: column_name text
-- column: data_class text
-- column: protection text
-- column: is_unprotected boolean
SELECT
    store,
    column_name,
    data_class,
    protection,
    COALESCE(protection, 'none') NOT IN ('encrypted', 'tokenised', 'keyed_hash',
                                         'pseudonymised', 'truncated') AS is_unprotected
FROM data_inventory
WHERE data_class IN ('personal', 'special_category') AND protection_required
ORDER BY is_unprotected DESC, store, column_name
