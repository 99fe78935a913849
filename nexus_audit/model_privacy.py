"""Optional evidence tables for GDPR: processing register, data uses and subjects' rights.

Each is optional; :func:`define` adds them to the model's metadata.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    MetaData,
    String,
    Table,
    Text,
)

from ._columns import key, ts


def _register(metadata: MetaData) -> list[Table]:
    return [
        Table(
            "processing_activities",
            metadata,
            key("activity_id", "Identifier of the activity (GDPR Art. 30)."),
            Column("name", String(200), nullable=False, doc="Name of the activity."),
            Column("purpose", String(200), nullable=False, doc="Processing purpose."),
            Column(
                "legal_basis",
                String(30),
                doc="consent, contract, legal_obligation, vital_interests, "
                "public_task or legitimate_interests (Art. 6(1)).",
            ),
            Column("controller_contact", Text, doc="Controller and DPO contact."),
            Column("subject_categories", Text, doc="Categories of data subjects."),
            Column("data_categories", Text, doc="Categories of personal data."),
            Column("recipients", Text, doc="Categories of recipients."),
            Column("third_country_transfers", Text, doc="Transfers, or 'none'."),
            Column("erasure_time_limit", Text, doc="When the data is erased."),
            Column("security_measures", Text, doc="Art. 32(1) measures."),
            Column(
                "is_high_risk", Boolean, nullable=False, doc="Needs a DPIA (Art. 35)."
            ),
            ts("started_at", doc="When the processing began."),
        ),
        Table(
            "dpias",
            metadata,
            key("dpia_id", "Identifier of the impact assessment."),
            Column("activity_id", BigInteger, nullable=False, doc="The activity."),
            ts("completed_at", doc="When it was completed."),
            ts("reviewed_at", doc="When it was last reviewed."),
            Column(
                "residual_high_risk",
                Boolean,
                nullable=False,
                doc="High risk remains after mitigation (Art. 36).",
            ),
            ts("consulted_at", doc="When the supervisory authority was consulted."),
            ts("dpo_advice_at", doc="When the DPO gave advice (Art. 35(2))."),
        ),
        Table(
            "privacy_defaults",
            metadata,
            key("setting_id", "Identifier of the setting."),
            Column("setting", String(100), nullable=False, doc="Setting name."),
            Column(
                "default_value", String(100), nullable=False, doc="Value by default."
            ),
            Column(
                "protective_value",
                String(100),
                nullable=False,
                doc="The most privacy-protective value (Art. 25(2)).",
            ),
            ts("changed_at", nullable=False, doc="When the default was last set."),
        ),
    ]


def _subjects(metadata: MetaData) -> list[Table]:
    return [
        Table(
            "personal_data_uses",
            metadata,
            key("use_id", "Identifier of the use."),
            Column("subject_id", BigInteger, nullable=False, doc="The data subject."),
            Column(
                "purpose", String(200), doc="Purpose of the use; null if none given."
            ),
            ts("used_at", nullable=False, doc="When the data was used."),
            Column("actor_id", BigInteger, doc="Who used it."),
            Column("ticket", String(100), doc="Business reference (ticket, case)."),
        ),
        Table(
            "data_subjects",
            metadata,
            key("subject_id", "The data subject."),
            Column("birth_date", Date, doc="Date of birth, when known."),
            ts("parental_consent_at", doc="When parental consent was recorded."),
            ts("restricted_at", doc="When processing was restricted (Art. 18)."),
            ts("restriction_lifted_at", doc="When the restriction was lifted."),
            ts(
                "marketing_objection_at",
                doc="When they objected to marketing (Art. 21).",
            ),
        ),
        Table(
            "dsr_outcomes",
            metadata,
            key("request_id", "The request (data_subject_requests.request_id)."),
            Column(
                "outcome",
                String(20),
                nullable=False,
                doc="fulfilled, partial or refused.",
                info={"values": ("fulfilled", "partial", "refused")},
            ),
            ts("refused_at", doc="When the refusal was sent (Art. 12(4))."),
            Column("refusal_reasons", Text, doc="Reasons given."),
            Column(
                "remedy_notice", Boolean, doc="Told of complaint and judicial remedy."
            ),
            Column("fee_charged", Float, doc="Fee charged, if any (Art. 12(5))."),
            Column("fee_justification", Text, doc="Why a fee was charged."),
            ts("identity_verified_at", doc="When identity was verified (Art. 12(6))."),
            Column(
                "delivery_format", String(30), doc="json, csv, xml, pdf, paper, ..."
            ),
            ts("recipients_notified_at", doc="When recipients were told (Art. 19)."),
            Column("recipients_exemption", Text, doc="Why they could not be told."),
            Column(
                "residual_records",
                BigInteger,
                doc="Records found after an erasure was completed (Art. 17).",
            ),
            Column(
                "erasure_exception", Text, doc="Art. 17(3) ground for keeping data."
            ),
        ),
        Table(
            "automated_decisions",
            metadata,
            key("decision_id", "Identifier of the decision."),
            Column("subject_id", BigInteger, nullable=False, doc="The data subject."),
            ts("decided_at", nullable=False, doc="When it was made."),
            Column(
                "has_legal_effect",
                Boolean,
                nullable=False,
                doc="Legal or similar effect.",
            ),
            Column(
                "is_solely_automated",
                Boolean,
                nullable=False,
                doc="No human took part.",
            ),
            Column(
                "exception_basis",
                String(30),
                doc="contract, law or explicit_consent (Art. 22(2)).",
                info={"values": ("contract", "law", "explicit_consent")},
            ),
            Column("human_review_offered", Boolean, doc="Human intervention offered."),
            ts("review_requested_at", doc="When the subject asked for a human review."),
            ts("review_done_at", doc="When that review was done."),
        ),
    ]


def define(metadata: MetaData) -> tuple[str, ...]:
    """Add the GDPR evidence tables; returns their names."""
    tables = _register(metadata) + _subjects(metadata)

    return tuple(table.name for table in tables)
