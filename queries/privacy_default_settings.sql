-- name: privacy_default_settings
-- description: Privacy-relevant settings with their default value and the most protective value; a default other than the protective one breaks data protection by default (GDPR Art. 25(2)).
-- tables: privacy_defaults
-- state: current
-- column: setting text
-- column: default_value text
-- column: protective_value text
-- column: changed_at timestamp
-- column: is_not_protective boolean
SELECT
    setting,
    default_value,
    protective_value,
    changed_at,
    default_value <> protective_value AS is_not_protective
FROM privacy_defaults
ORDER BY is_not_protective DESC, setting
