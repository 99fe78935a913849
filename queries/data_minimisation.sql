-- name: data_minimisation
-- description: Personal-data fields of the data inventory that hold values but serve no purpose listed in the record of processing activities (GDPR Art. 5(1)(c)).
-- tables: data_inventory, processing_activities
-- state: current
-- column: store text
-- column: column_name text
-- column: data_class text
-- column: purpose text
-- column: non_null_rows integer
-- column: problem text
SELECT
    i.store,
    i.column_name,
    i.data_class,
    i.purpose,
    i.non_null_rows,
    CASE
        WHEN COALESCE(i.non_null_rows, 0) = 0 THEN NULL
        WHEN i.purpose IS NULL THEN 'filled without a purpose'
        WHEN NOT EXISTS (SELECT 1 FROM processing_activities AS a WHERE a.purpose = i.purpose)
            THEN 'purpose not in the processing register'
    END AS problem
FROM data_inventory AS i
WHERE i.data_class IN ('personal', 'special_category')
ORDER BY problem NULLS LAST, i.store, i.column_name
