-- name: privilege_changes
-- description: Privilege changes in the period: grants of privileged roles, additions to administrator groups, pgAudit ROLE records and privileged account creations; a role grant with no matching role_granted audit event within match_minutes is flagged as unlogged (anchors: Elastic "User Added to Privileged Group" rules, Sigma "Privileged User Has Been Created", pgAudit class ROLE, PCI DSS 10.2.1.5).
-- tables: role_grants, roles, users, audit_log
-- state: period
-- note: Log-derived rows read the account and command from the event's details (JSON written at ingestion); for a pgAudit record the account is the database user who ran the statement (changed_by_username), and the role it changed is in the statement. A grant counts as logged when a role_granted event names the grantee or the grantor within match_minutes of granted_at. Events without a time (pgAudit client notices) fall in no period and are not listed; they remain in audit_log.
-- param: period_start timestamp
-- param: period_end timestamp
-- param: match_minutes integer = 5
-- param: admin_groups text = 'root,admin,wheel,sudo,staff,adm,disk,shadow,docker,lxd,administrators,domain admins,enterprise admins,schema admins,account operators,backup operators,server operators,dnsadmins'
-- column: changed_at timestamp
-- column: kind text
-- column: username text
-- column: privilege text
-- column: command text
-- column: changed_by_username text
-- column: actor_ip text
-- column: is_unlogged boolean
WITH grants AS (
    SELECT
        g.granted_at AS changed_at,
        'role_grant' AS kind,
        COALESCE(u.username, CAST(g.user_id AS VARCHAR)) AS username,
        r.name AS privilege,
        'GRANT' AS command,
        COALESCE(b.username, CAST(g.granted_by AS VARCHAR)) AS changed_by_username,
        CAST(NULL AS VARCHAR) AS actor_ip,
        NOT EXISTS (
            SELECT 1
            FROM audit_log AS a
            WHERE a.event_type = 'role_granted'
              AND a.created_at >= g.granted_at - :match_minutes * INTERVAL '1 minute'
              AND a.created_at <= g.granted_at + :match_minutes * INTERVAL '1 minute'
              AND (a.user_id = g.user_id OR a.user_id = g.granted_by)
        ) AS is_unlogged
    FROM role_grants AS g
    JOIN roles AS r ON r.role_id = g.role_id
    LEFT JOIN users AS u ON u.user_id = g.user_id
    LEFT JOIN users AS b ON b.user_id = g.granted_by
    WHERE r.is_privileged
      AND g.granted_at >= :period_start
      AND g.granted_at < :period_end
),
logged AS (
    SELECT
        a.created_at AS changed_at,
        a.event_type AS kind,
        CASE WHEN a.event_type <> 'privilege_change'
             THEN COALESCE(u.username, CAST(a.details AS JSON) ->> 'account') END AS username,
        a.resource AS privilege,
        COALESCE(CAST(a.details AS JSON) ->> 'command', a.event_type) AS command,
        CASE WHEN a.event_type = 'privilege_change'
             THEN COALESCE(u.username, CAST(a.details AS JSON) ->> 'account') END
            AS changed_by_username,
        a.actor_ip,
        FALSE AS is_unlogged
    FROM audit_log AS a
    LEFT JOIN users AS u ON u.user_id = a.user_id
    WHERE a.created_at >= :period_start
      AND a.created_at < :period_end
      AND (
          a.event_type = 'privilege_change'
          OR (
              a.event_type = 'group_member_added'
              AND POSITION(
                  ',' || LOWER(a.resource) || ','
                  IN ',' || LOWER(:admin_groups) || ','
              ) > 0
          )
          OR (
              a.event_type = 'account_created'
              AND (a.details LIKE '%"uid": "0"%' OR a.details LIKE '%"gid": "0"%')
          )
      )
)
SELECT * FROM grants
UNION ALL
SELECT * FROM logged
ORDER BY changed_at, kind, username
