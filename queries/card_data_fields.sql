-- name: card_data_fields
-- description: Card-data fields of the data inventory (PAN and sensitive authentication data) with the problem each shows, if any (PCI DSS 3.3.1, 3.3.2, 3.5.1).
-- tables: data_inventory
-- state: current
-- column: store text
-- column: column_name text
-- column: data_class text
-- column: stage text
-- column: protection text
-- column: non_null_rows integer
-- column: scanned_at timestamp
-- column: problem text
WITH judged AS (
    SELECT
        store,
        column_name,
        data_class,
        stage,
        protection,
        non_null_rows,
        scanned_at,
        CASE
            WHEN data_class = 'sad' AND COALESCE(stage, '') <> 'pre_auth'
             AND COALESCE(non_null_rows, 0) > 0 THEN 'SAD kept after authorisation'
            WHEN data_class = 'sad' AND stage = 'pre_auth'
             AND COALESCE(protection, 'none') <> 'encrypted'
                THEN 'pre-authorisation SAD not encrypted'
            WHEN data_class = 'pan'
             AND COALESCE(protection, 'none')
                 NOT IN ('encrypted', 'tokenised', 'keyed_hash', 'truncated')
                THEN 'PAN stored readable'
        END AS problem
    FROM data_inventory
    WHERE data_class IN ('pan', 'sad')
)
SELECT *
FROM judged
ORDER BY problem NULLS LAST, store, column_name
