"""Optional evidence tables for logging, data protection, keys and incident response.

They evidence PCI DSS requirements 3, 4, 10 and 12 and GDPR Arts. 32-34. Each is
optional; :func:`define` adds them to the model's metadata.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    MetaData,
    String,
    Table,
    Text,
)

from ._columns import key, ts


def _logging(metadata: MetaData) -> list[Table]:
    return [
        Table(
            "log_reviews",
            metadata,
            key("review_id", "Identifier of the review."),
            Column("reviewed_day", Date, nullable=False, doc="The UTC day reviewed."),
            ts("reviewed_at", nullable=False, doc="When the review was done."),
            Column("reviewer_id", BigInteger, doc="Who (or which job) reviewed."),
            Column(
                "scope",
                String(30),
                nullable=False,
                doc="security_events (PCI DSS 10.4.1) or other_components (10.4.2).",
            ),
            Column(
                "is_automated",
                Boolean,
                nullable=False,
                doc="True for an automated review run (10.4.1.1).",
            ),
            Column(
                "exceptions_found", BigInteger, doc="Exceptions the review flagged."
            ),
            Column(
                "exceptions_resolved",
                BigInteger,
                doc="Of those, how many have a documented disposition.",
            ),
        ),
        Table(
            "control_failures",
            metadata,
            key("failure_id", "Identifier of the failure record."),
            Column(
                "control",
                String(50),
                nullable=False,
                doc="The failed control: audit_logging, log_review, ids, fim, ...",
            ),
            ts("started_at", nullable=False, doc="When the failure began."),
            ts("ended_at", doc="When the control worked again."),
            Column("cause", Text, doc="Why it failed."),
            Column("remediation", Text, doc="What was done to restore it."),
            Column("preventive_action", Text, doc="What stops it happening again."),
            Column("incident_id", BigInteger, doc="The incident opened for it."),
        ),
        Table(
            "system_objects",
            metadata,
            key("object_id", "Identifier of the object."),
            Column("name", String(300), nullable=False, doc="Object name."),
            Column("object_type", String(50), doc="table, function, executable, ..."),
            ts("created_at", nullable=False, doc="When it was created."),
            ts("dropped_at", doc="When it was deleted, if it was."),
        ),
        Table(
            "risk_analyses",
            metadata,
            key("analysis_id", "Identifier of the targeted risk analysis."),
            Column(
                "requirement",
                String(20),
                nullable=False,
                doc="The PCI DSS requirement whose frequency it sets (e.g. 7.2.5.1).",
            ),
            Column(
                "frequency_days", BigInteger, nullable=False, doc="Interval it sets."
            ),
            ts("reviewed_at", nullable=False, doc="When it was last reviewed."),
            Column("approved_by", BigInteger, doc="Who approved it."),
        ),
    ]


def _data(metadata: MetaData) -> list[Table]:
    return [
        Table(
            "data_inventory",
            metadata,
            key("item_id", "Identifier of the inventory row."),
            Column(
                "store",
                String(300),
                nullable=False,
                doc="Data store, named as audit_log.resource names it.",
            ),
            Column(
                "column_name", String(200), nullable=False, doc="Field in the store."
            ),
            Column(
                "data_class",
                String(30),
                nullable=False,
                doc="pan, sad, personal, special_category or other.",
                info={
                    "values": ("pan", "sad", "personal", "special_category", "other")
                },
            ),
            Column(
                "stage",
                String(20),
                doc="pre_auth or post_auth for card data; at_rest otherwise.",
            ),
            Column(
                "protection",
                String(30),
                doc="encrypted, tokenised, keyed_hash, truncated, hashed, "
                "pseudonymised or none.",
            ),
            Column(
                "protection_required",
                Boolean,
                doc="Whether the classification policy requires protection.",
            ),
            Column("non_null_rows", BigInteger, doc="Filled values at the scan."),
            Column("purpose", String(200), doc="Processing purpose the field serves."),
            ts("scanned_at", nullable=False, doc="When the store was scanned."),
        ),
        Table(
            "retention_schedule",
            metadata,
            key("category_id", "Identifier of the data category."),
            Column("category", String(100), nullable=False, doc="Data category."),
            Column(
                "scope",
                String(20),
                nullable=False,
                doc="account_data (PCI DSS) or personal_data (GDPR).",
            ),
            Column(
                "retention_days", BigInteger, nullable=False, doc="Retention period."
            ),
            Column("justification", Text, doc="Business or legal reason for it."),
        ),
        Table(
            "purge_runs",
            metadata,
            key("run_id", "Identifier of the run."),
            Column(
                "category", String(100), nullable=False, doc="Data category purged."
            ),
            ts("ran_at", nullable=False, doc="When the run finished."),
            Column("records_checked", BigInteger, doc="Records examined."),
            Column(
                "records_past_retention",
                BigInteger,
                doc="Records still held past their retention period after the run.",
            ),
        ),
        Table(
            "crypto_keys",
            metadata,
            key("key_id", "Identifier of the key."),
            Column("purpose", String(100), doc="What the key protects."),
            ts("created_at", nullable=False, doc="When it became active."),
            Column(
                "cryptoperiod_days",
                BigInteger,
                nullable=False,
                doc="The cryptoperiod the entity defined for it.",
            ),
            ts("retired_at", doc="When it was retired, if it was."),
        ),
        Table(
            "certificates",
            metadata,
            key("certificate_id", "Identifier of the inventory entry."),
            Column(
                "fingerprint", String(128), nullable=False, doc="SHA-256 fingerprint."
            ),
            Column("subject", String(300), doc="Certificate subject."),
            ts("not_after", nullable=False, doc="Expiry."),
            ts("revoked_at", doc="When it was revoked, if it was."),
            Column(
                "is_trusted", Boolean, nullable=False, doc="Chains to a trusted root."
            ),
        ),
        Table(
            "transmissions",
            metadata,
            key("transmission_id", "Identifier of the transmission."),
            ts("occurred_at", nullable=False, doc="When it happened."),
            Column("endpoint", String(300), doc="Remote end."),
            Column(
                "carries_pan", Boolean, nullable=False, doc="True when PAN was sent."
            ),
            Column("protocol", String(20), doc="Protocol version, e.g. TLSv1.3."),
            Column(
                "certificate_fingerprint",
                String(128),
                doc="Fingerprint of the certificate presented.",
            ),
        ),
    ]


def _response(metadata: MetaData) -> list[Table]:
    return [
        Table(
            "incident_details",
            metadata,
            key("incident_id", "The incident (security_incidents.incident_id)."),
            Column(
                "category",
                String(30),
                nullable=False,
                doc="security, breach, control_failure or pan_discovered.",
                info={
                    "values": (
                        "security",
                        "breach",
                        "control_failure",
                        "pan_discovered",
                    )
                },
            ),
            Column("affects_cde", Boolean, doc="True when the CDE was affected."),
            ts("contained_at", doc="When it was contained."),
            ts("lessons_learned_at", doc="When the post-incident review was held."),
            Column(
                "risk_level",
                String(10),
                doc="none, low or high risk to people.",
                info={"values": ("none", "low", "high")},
            ),
            Column("facts", Text, doc="What happened (GDPR Art. 33(5))."),
            Column("effects", Text, doc="Its effects."),
            Column("remedial_action", Text, doc="What was done about it."),
            Column(
                "notice_complete",
                Boolean,
                doc="Whether the authority notice held the Art. 33(3) content.",
            ),
            ts("subjects_notified_at", doc="When data subjects were told (Art. 34)."),
            Column("subject_notice_exemption", Text, doc="Art. 34(3) ground, if used."),
            ts("processor_aware_at", doc="When the processor became aware."),
            ts("processor_reported_at", doc="When the processor told the controller."),
            Column("pan_location", Text, doc="Where stray PAN was found (12.10.7)."),
            ts("pan_removed_at", doc="When it was deleted or moved."),
            Column("sad_checked", Boolean, doc="Whether SAD was looked for with it."),
            Column("root_cause", Text, doc="How it got there."),
        ),
        Table(
            "on_call_shifts",
            metadata,
            key("shift_id", "Identifier of the shift."),
            Column("person_id", BigInteger, nullable=False, doc="Who is on call."),
            ts("starts_at", nullable=False, doc="Start of the shift."),
            ts("ends_at", nullable=False, doc="End of the shift."),
        ),
        Table(
            "security_alerts",
            metadata,
            key("alert_id", "Identifier of the alert."),
            Column(
                "source",
                String(30),
                nullable=False,
                doc="ids, ips, network, change_detection, payment_page or wifi.",
                info={
                    "values": (
                        "ids",
                        "ips",
                        "network",
                        "change_detection",
                        "payment_page",
                        "wifi",
                    )
                },
            ),
            Column("severity", String(10), nullable=False, doc="low to critical."),
            ts("raised_at", nullable=False, doc="When it was raised."),
            Column("incident_id", BigInteger, doc="Incident opened for it."),
            Column("dismissed_reason", Text, doc="Why it was dismissed, if it was."),
            Column("dismissed_by", BigInteger, doc="Who dismissed it."),
        ),
        Table(
            "restore_tests",
            metadata,
            key("test_id", "Identifier of the test."),
            Column("system", String(100), nullable=False, doc="System restored."),
            ts("tested_at", nullable=False, doc="When."),
            Column("rto_minutes", BigInteger, doc="Recovery time objective."),
            Column("restore_minutes", BigInteger, doc="Time the restore took."),
            Column("succeeded", Boolean, nullable=False, doc="Whether it worked."),
        ),
        Table(
            "security_tests",
            metadata,
            key("test_id", "Identifier of the test."),
            Column(
                "kind",
                String(30),
                nullable=False,
                doc="penetration_test, vulnerability_scan, assessment or ir_exercise.",
                info={
                    "values": (
                        "penetration_test",
                        "vulnerability_scan",
                        "assessment",
                        "ir_exercise",
                    )
                },
            ),
            ts("completed_at", nullable=False, doc="When it was completed."),
            Column("scope", Text, doc="What it covered."),
        ),
    ]


def define(metadata: MetaData) -> tuple[str, ...]:
    """Add the operations evidence tables; returns their names."""
    tables = _logging(metadata) + _data(metadata) + _response(metadata)

    return tuple(table.name for table in tables)
