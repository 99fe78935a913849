"""Optional evidence tables for access control and authentication (PCI DSS 7 and 8).

Each table is optional: an audited database that lacks one gets "no data" for the
controls that read it. :func:`define` adds them to the model's metadata.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Float, MetaData, String, Table, Text

from ._columns import key, ts


def define(metadata: MetaData) -> tuple[str, ...]:
    """Add the access-control evidence tables; returns their names."""
    tables = [
        Table(
            "role_permissions",
            metadata,
            key("permission_id", "Identifier of the row."),
            Column("role_id", BigInteger, nullable=False, doc="The role."),
            Column(
                "permission",
                String(100),
                nullable=False,
                doc="What the role allows: view_full_pan, audit_read, direct_db_chd, "
                "cde_access, ...",
            ),
        ),
        Table(
            "user_profiles",
            metadata,
            key("user_id", "The account (users.user_id)."),
            Column("job_function", String(100), doc="The holder's job function."),
            Column(
                "account_type",
                String(20),
                nullable=False,
                doc="employee, contractor, vendor, customer, shared or service.",
                info={
                    "values": (
                        "employee",
                        "contractor",
                        "vendor",
                        "customer",
                        "shared",
                        "service",
                    )
                },
            ),
            Column(
                "owner_user_id",
                BigInteger,
                doc="The named person accountable for a shared, vendor or service account.",
            ),
        ),
        Table(
            "job_role_templates",
            metadata,
            key("template_id", "Identifier of the row."),
            Column("job_function", String(100), nullable=False, doc="A job function."),
            Column(
                "role_id",
                BigInteger,
                nullable=False,
                doc="A role that function may hold.",
            ),
        ),
        Table(
            "account_exceptions",
            metadata,
            key("exception_id", "Identifier of the exception."),
            Column("user_id", BigInteger, nullable=False, doc="The account excepted."),
            Column(
                "kind",
                String(30),
                nullable=False,
                doc="shared_account, interactive_use, mfa_bypass or vendor_access.",
                info={
                    "values": (
                        "shared_account",
                        "interactive_use",
                        "mfa_bypass",
                        "vendor_access",
                    )
                },
            ),
            Column("justification", Text, doc="Why the exception is needed."),
            Column("requested_by", BigInteger, doc="Who asked for it."),
            Column(
                "approved_by", BigInteger, doc="Who approved it; null when nobody did."
            ),
            ts("valid_from", nullable=False, doc="Start of the approved window."),
            ts("valid_until", nullable=False, doc="End of the approved window."),
        ),
        Table(
            "account_requests",
            metadata,
            key("request_id", "Identifier of the request."),
            Column("user_id", BigInteger, nullable=False, doc="The account concerned."),
            Column(
                "action",
                String(20),
                nullable=False,
                doc="create, modify, disable or delete.",
                info={"values": ("create", "modify", "disable", "delete")},
            ),
            ts("requested_at", nullable=False, doc="When it was asked for."),
            Column("requested_by", BigInteger, doc="Who asked for it."),
            Column(
                "approved_by", BigInteger, doc="Who approved it; null when nobody did."
            ),
            ts("approved_at", doc="When it was approved."),
        ),
        Table(
            "access_reviews",
            metadata,
            key("review_id", "Identifier of the review."),
            Column(
                "scope",
                String(30),
                nullable=False,
                doc="all_accounts (PCI DSS 7.2.4) or service_accounts (7.2.5.1).",
            ),
            ts("started_at", nullable=False, doc="When the review started."),
            ts("completed_at", doc="When it was completed; null while in progress."),
            Column("reviewer_id", BigInteger, doc="Who reviewed."),
            Column("findings", BigInteger, doc="Inappropriate access found."),
            Column(
                "findings_remediated", BigInteger, doc="Of those, how many were fixed."
            ),
            Column(
                "signed_off_by", BigInteger, doc="Manager who acknowledged the result."
            ),
            ts("signed_off_at", doc="When management acknowledged it."),
        ),
        Table(
            "sessions",
            metadata,
            key("session_id", "Identifier of the session."),
            Column("user_id", BigInteger, doc="The account, when known."),
            ts("started_at", nullable=False, doc="When the session began."),
            ts("ended_at", doc="When it ended."),
            Column(
                "channel",
                String(20),
                doc="web, api, console, vpn or ssh.",
                info={"values": ("web", "api", "console", "vpn", "ssh")},
            ),
            Column(
                "is_external",
                Boolean,
                doc="True for remote access from outside the entity's network.",
            ),
            Column(
                "is_interactive", Boolean, doc="True when a person drove the session."
            ),
            Column(
                "auth_factors",
                BigInteger,
                doc="Authentication factors presented: 0 none recorded, 1, 2 or more.",
            ),
            Column(
                "longest_idle_minutes",
                Float,
                doc="Longest gap between requests that needed no re-authentication.",
            ),
            Column(
                "idle_timeout_minutes",
                BigInteger,
                doc="The idle timeout configured for the session.",
            ),
        ),
        Table(
            "credentials",
            metadata,
            key("credential_id", "Identifier of the credential."),
            Column("user_id", BigInteger, nullable=False, doc="The account."),
            Column(
                "hash_algorithm",
                String(30),
                nullable=False,
                doc="bcrypt, scrypt, argon2id, pbkdf2-sha256, sha1, md5, plaintext, ...",
            ),
            Column("is_salted", Boolean, nullable=False, doc="Whether a salt is used."),
            ts("set_at", nullable=False, doc="When the secret was set."),
            Column(
                "is_temporary",
                Boolean,
                nullable=False,
                doc="True for an initial or reset password set by someone else.",
            ),
            Column(
                "must_change",
                Boolean,
                nullable=False,
                doc="Whether the next login forces a change.",
            ),
        ),
        Table(
            "factor_changes",
            metadata,
            key("change_id", "Identifier of the change."),
            Column("user_id", BigInteger, nullable=False, doc="The account."),
            Column("factor", String(20), nullable=False, doc="password or mfa."),
            ts("changed_at", nullable=False, doc="When the factor changed."),
            ts("verified_at", doc="When the person's identity was verified for it."),
            Column("verification", String(30), doc="How identity was verified."),
        ),
        Table(
            "password_policies",
            metadata,
            key("policy_id", "Identifier of the policy."),
            Column("system", String(100), nullable=False, doc="System it applies to."),
            Column(
                "applies_to",
                String(20),
                nullable=False,
                doc="users, service_accounts or customers.",
                info={"values": ("users", "service_accounts", "customers")},
            ),
            Column("min_length", BigInteger, doc="Minimum password length."),
            Column("requires_letters", Boolean, doc="Letters required."),
            Column("requires_digits", Boolean, doc="Digits required."),
            Column("history_depth", BigInteger, doc="Previous passwords refused."),
            Column(
                "lockout_attempts", BigInteger, doc="Invalid attempts before lockout."
            ),
            Column("lockout_minutes", BigInteger, doc="How long a lockout lasts."),
            Column("idle_timeout_minutes", BigInteger, doc="Session idle timeout."),
            ts("effective_from", nullable=False, doc="When the policy took effect."),
            ts("effective_to", doc="When it was replaced, if it was."),
        ),
    ]

    return tuple(table.name for table in tables)
