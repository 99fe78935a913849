-- name: password_policy_settings
-- description: Password policies in force at the period end for user accounts, with a problem where the minimum length, composition or history falls short (PCI DSS 8.3.6, 8.3.7).
-- tables: password_policies
-- state: period_end
-- note: PCI DSS 8.3.6 allows 8 characters only where a system cannot support 12; record such a system's policy with its actual minimum and waive the finding with the reason. Application and system accounts fall under 8.6, so only policies for users and customers are judged.
-- param: period_end timestamp
-- param: min_length integer = 12
-- param: min_history integer = 4
-- column: policy_id integer
-- column: system text
-- column: applies_to text
-- column: min_length integer
-- column: requires_letters boolean
-- column: requires_digits boolean
-- column: history_depth integer
-- column: length_problem text
-- column: history_problem text
WITH in_force AS (
    SELECT *
    FROM password_policies
    WHERE applies_to IN ('users', 'customers')
      AND effective_from < :period_end
      AND (effective_to IS NULL OR effective_to >= :period_end)
)
SELECT
    policy_id,
    system,
    applies_to,
    min_length,
    requires_letters,
    requires_digits,
    history_depth,
    CASE
        WHEN COALESCE(min_length, 0) < :min_length THEN 'minimum length below the required'
        WHEN NOT (COALESCE(requires_letters, FALSE) AND COALESCE(requires_digits, FALSE))
            THEN 'letters and digits not both required'
    END AS length_problem,
    CASE
        WHEN COALESCE(history_depth, 0) < :min_history THEN 'fewer previous passwords refused'
    END AS history_problem
FROM in_force
ORDER BY system, policy_id
