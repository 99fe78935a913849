"""The audited data model as SQLAlchemy tables.

These definitions create the schema for the demo and the tests, and tell the runner which
tables and columns an audit needs: every column of a table that is present, except those
marked ``info={"optional": True}``. Every timestamp is time-zone aware and compared in UTC.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    MetaData,
    String,
    Table,
    Text,
)

from . import model_access, model_operations, model_privacy

metadata = MetaData()


def _ts(name: str, nullable: bool = True, doc: str = "") -> Column[object]:
    return Column(name, DateTime(timezone=True), nullable=nullable, doc=doc)


users = Table(
    "users",
    metadata,
    Column(
        "user_id",
        BigInteger,
        primary_key=True,
        autoincrement=False,
        doc="Stable numeric identifier of the account.",
    ),
    Column("username", String(200), nullable=False, doc="Login name, unique."),
    Column("email", String(320), doc="Contact address (personal data)."),
    Column(
        "status",
        String(20),
        nullable=False,
        doc="One of active, locked, disabled, terminated.",
        info={"values": ("active", "locked", "disabled", "terminated")},
    ),
    _ts("created_at", nullable=False, doc="When the account was created."),
    _ts("last_login_at", doc="Last successful login (current state)."),
    Column("mfa_enabled", Boolean, nullable=False, doc="Whether MFA is enrolled now."),
    _ts("password_changed_at", doc="When the password was last set."),
    Column(
        "is_service_account",
        Boolean,
        nullable=False,
        doc="True for application or system accounts.",
    ),
    _ts("terminated_at", doc="When the person left (HR termination), if they did."),
)

roles = Table(
    "roles",
    metadata,
    Column(
        "role_id",
        BigInteger,
        primary_key=True,
        autoincrement=False,
        doc="Identifier of the role.",
    ),
    Column("name", String(100), nullable=False, doc="Role name."),
    Column(
        "is_privileged",
        Boolean,
        nullable=False,
        doc="True for administrative or cardholder-data roles.",
    ),
)

role_grants = Table(
    "role_grants",
    metadata,
    Column(
        "grant_id",
        BigInteger,
        primary_key=True,
        autoincrement=False,
        doc="Identifier of the grant.",
    ),
    Column("user_id", BigInteger, nullable=False, doc="The grantee."),
    Column("role_id", BigInteger, nullable=False, doc="The role granted."),
    _ts("granted_at", nullable=False, doc="When the grant took effect."),
    Column("granted_by", BigInteger, doc="Who made the change."),
    Column("approved_by", BigInteger, doc="Who approved it; null when nobody did."),
    _ts("revoked_at", doc="When the grant ended, if it did."),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column(
        "id",
        BigInteger,
        primary_key=True,
        autoincrement=False,
        doc="Identifier of the attempt.",
    ),
    Column("user_id", BigInteger, doc="The account, when the name typed matched one."),
    Column("username", String(200), doc="The name as typed."),
    Column("client_ip", String(64), doc="Source address (IPv4, IPv6 or host name)."),
    _ts("created_at", nullable=False, doc="When the attempt was made."),
    Column("success", Boolean, nullable=False, doc="Whether it authenticated."),
    Column("failure_reason", String(100), doc="Why it failed, when it did."),
    Column("mfa_used", Boolean, doc="Whether a second factor was presented."),
    Column("user_agent", Text, doc="Client software, as sent."),
    Column("country", String(2), doc="ISO 3166 country of the source address."),
    Column(
        "latitude",
        Float,
        doc="Latitude of the source, when the data carries coordinates.",
        info={"optional": True},
    ),
    Column(
        "longitude",
        Float,
        doc="Longitude of the source, when the data carries coordinates.",
        info={"optional": True},
    ),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column(
        "id",
        BigInteger,
        primary_key=True,
        autoincrement=False,
        doc="Identifier of the event.",
    ),
    _ts(
        "created_at",
        doc="When the event happened; null when the source did not record it.",
    ),
    Column("user_id", BigInteger, doc="The acting account, when known."),
    Column(
        "event_type",
        String(50),
        nullable=False,
        doc="What happened (failed_login, data_access, role_granted, ...).",
    ),
    Column("actor_ip", String(64), doc="Source address of the actor."),
    Column("resource", String(300), doc="Affected data, component or service."),
    Column(
        "outcome",
        String(20),
        doc="success or failure.",
        info={"values": ("success", "failure")},
    ),
    Column("details", Text, doc="Free-form details (JSON text)."),
)

security_incidents = Table(
    "security_incidents",
    metadata,
    Column(
        "incident_id",
        BigInteger,
        primary_key=True,
        autoincrement=False,
        doc="Identifier of the incident.",
    ),
    Column("title", String(300), doc="Short description."),
    Column(
        "severity",
        String(10),
        nullable=False,
        doc="SEV-1 (worst) to SEV-4.",
        info={"values": ("SEV-1", "SEV-2", "SEV-3", "SEV-4")},
    ),
    _ts("detected_at", nullable=False, doc="When it was detected."),
    _ts("acknowledged_at", doc="When a responder acknowledged it."),
    _ts("resolved_at", doc="When it was resolved."),
    Column(
        "is_personal_data_breach",
        Boolean,
        nullable=False,
        doc="True when personal data was compromised (GDPR Art. 33).",
    ),
    _ts("aware_at", doc="When the controller became aware of the breach."),
    _ts("authority_notified_at", doc="When the supervisory authority was notified."),
)

data_subject_requests = Table(
    "data_subject_requests",
    metadata,
    Column(
        "request_id",
        BigInteger,
        primary_key=True,
        autoincrement=False,
        doc="Identifier of the request.",
    ),
    Column("subject_id", BigInteger, doc="The data subject, when known."),
    Column(
        "request_type",
        String(20),
        nullable=False,
        doc="access, rectify, erase, restrict, portability or object.",
        info={
            "values": (
                "access",
                "rectify",
                "erase",
                "restrict",
                "portability",
                "object",
            )
        },
    ),
    _ts("received_at", nullable=False, doc="When the request was received."),
    _ts("extended_at", doc="When the subject was told of an extension (Art. 12(3))."),
    _ts("completed_at", doc="When the request was answered."),
)

consents = Table(
    "consents",
    metadata,
    Column(
        "consent_id",
        BigInteger,
        primary_key=True,
        autoincrement=False,
        doc="Identifier of the consent record.",
    ),
    Column("subject_id", BigInteger, nullable=False, doc="The data subject."),
    Column(
        "purpose", String(100), nullable=False, doc="Processing purpose consented to."
    ),
    _ts("given_at", nullable=False, doc="When consent was given."),
    _ts("withdrawn_at", doc="When it was withdrawn, if it was."),
)

Index("ix_login_attempts_created_at", login_attempts.c.created_at)
Index("ix_audit_log_created_at", audit_log.c.created_at)
# On PostgreSQL this serves the look-ups of rare event types over the whole history (sudo
# commands, locks, role changes), which would otherwise read the whole table. DuckDB's
# zone maps do without it, and an ART index there would only cost build time.
Index(
    "ix_audit_log_event_type_created_at",
    audit_log.c.event_type,
    audit_log.c.created_at,
    info={"dialects": ("postgresql",)},
).ddl_if(dialect="postgresql")

REQUIRED_TABLES: tuple[str, ...] = ("users", "login_attempts", "audit_log")
OPTIONAL_TABLES: tuple[str, ...] = (
    "roles",
    "role_grants",
    "security_incidents",
    "data_subject_requests",
    "consents",
    # Evidence tables of the full PCI DSS and GDPR catalog, defined in their own modules.
    *model_access.define(metadata),
    *model_operations.define(metadata),
    *model_privacy.define(metadata),
)
