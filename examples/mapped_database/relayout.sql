-- Copy the demo's tables into schema "app" under other names, columns and vocabularies,
-- as a platform built without nexus_audit in mind might keep them. Runs on DuckDB and
-- PostgreSQL. The nexus-audit.toml beside this file maps it back onto the model.
CREATE SCHEMA app;

CREATE TABLE app.accounts AS
SELECT user_id AS account_id, username AS login, email AS mail,
       UPPER(status) AS state, created_at AS opened_at, last_login_at AS last_seen_at,
       mfa_enabled AS has_mfa, password_changed_at AS pw_changed_at,
       is_service_account AS is_bot, terminated_at AS left_at
FROM users;

CREATE TABLE app.events AS
SELECT id AS event_id, created_at AS ts, user_id AS actor,
       CASE event_type
           WHEN 'failed_login' THEN 'LOGIN_FAILED'
           WHEN 'login_success' THEN 'LOGIN_OK'
           WHEN 'permission_denied' THEN 'ACCESS_DENIED'
           ELSE event_type
       END AS action,
       actor_ip AS ip, resource AS target, outcome AS result, details
FROM audit_log;

CREATE TABLE app.auth_attempts AS
SELECT id AS attempt_id, user_id AS account_id, username AS typed_login,
       client_ip AS source_ip, created_at AS attempted_at, success AS ok,
       failure_reason AS reason, mfa_used, user_agent, country
FROM login_attempts;

CREATE TABLE app.roles AS SELECT * FROM roles;
CREATE TABLE app.role_grants AS SELECT * FROM role_grants;

CREATE TABLE app.incidents AS
SELECT incident_id, title, 'P' || SUBSTRING(severity, 5, 1) AS priority,
       detected_at, acknowledged_at, resolved_at, is_personal_data_breach,
       aware_at, authority_notified_at
FROM security_incidents;

CREATE TABLE app.privacy_requests AS SELECT * FROM data_subject_requests;
CREATE TABLE app.consents AS SELECT * FROM consents;
