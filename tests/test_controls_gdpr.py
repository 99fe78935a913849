"""Every GDPR data control, failing and passing, on both engines.

As in ``test_controls_pci``: each case adds to ``builders.base`` rows that break the
control, with the findings that must follow, and rows that satisfy it. February 2026.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from .builders import CHECKLISTS, Builder, Case, add, check, days, event
from .conftest import Backend
from .scenario import t
from .test_controls_pci import attempts, denials, dormant, privileged, sources

Build = Callable[[Builder], None]


def request(
    kind: str, received: str, completed: str | None, **outcome: object
) -> Build:
    def build(b: Builder) -> None:
        add(
            b,
            "data_subject_requests",
            request_id=1,
            subject_id=10,
            request_type=kind,
            received_at=received,
            completed_at=completed,
        )
        if outcome:
            add(b, "dsr_outcomes", request_id=1, **outcome)

    return build


def activity(**values: object) -> Build:
    row = {
        "name": "billing",
        "purpose": "billing",
        "legal_basis": "contract",
        "controller_contact": "dpo@example.test",
        "subject_categories": "customers",
        "data_categories": "contact, payment",
        "recipients": "acquirer",
        "third_country_transfers": "none",
        "erasure_time_limit": "7 years",
        "security_measures": "encryption",
        "is_high_risk": False,
        "started_at": "2025-06-01",
    }
    row.update(values)

    def build(b: Builder) -> None:
        add(b, "processing_activities", **row)

    return build


def field(purpose: str | None, **values: object) -> Build:
    def build(b: Builder) -> None:
        activity()(b)
        add(
            b,
            "data_inventory",
            store="customers/profile",
            column_name="phone",
            data_class="personal",
            stage="at_rest",
            non_null_rows=40,
            purpose=purpose,
            scanned_at="2026-02-20",
            **values,
        )

    return build


def retention(past: int) -> Build:
    def build(b: Builder) -> None:
        add(
            b,
            "retention_schedule",
            category="closed-customers",
            scope="personal_data",
            retention_days=2555,
            justification="AML",
        )
        add(
            b,
            "purge_runs",
            category="closed-customers",
            ran_at="2026-02-02",
            records_checked=50,
            records_past_retention=past,
        )

    return build


def consent_use(given: str | None, withdrawn: str | None = None) -> Build:
    def build(b: Builder) -> None:
        activity(name="newsletter", purpose="marketing", legal_basis="consent")(b)
        if given:
            add(
                b,
                "consents",
                subject_id=10,
                purpose="marketing",
                given_at=given,
                withdrawn_at=withdrawn,
            )
        add(
            b,
            "personal_data_uses",
            subject_id=10,
            purpose="marketing",
            used_at="2026-02-05 10:00",
            actor_id=1,
        )

    return build


def child(parental: str | None) -> Build:
    def build(b: Builder) -> None:
        add(
            b,
            "data_subjects",
            subject_id=10,
            birth_date=t("2015-01-01").date(),
            parental_consent_at=parental,
        )
        add(b, "consents", subject_id=10, purpose="games", given_at="2026-02-05")

    return build


def use(purpose: str | None, ticket: str | None = None, **subject: object) -> Build:
    def build(b: Builder) -> None:
        if subject:
            add(b, "data_subjects", subject_id=10, **subject)
        add(
            b,
            "personal_data_uses",
            subject_id=10,
            purpose=purpose,
            used_at="2026-02-05 10:00",
            actor_id=1,
            ticket=ticket,
        )

    return build


def decision(basis: str | None) -> Build:
    def build(b: Builder) -> None:
        add(
            b,
            "automated_decisions",
            subject_id=10,
            decided_at="2026-02-05",
            has_legal_effect=True,
            is_solely_automated=True,
            exception_basis=basis,
            human_review_offered=True,
        )

    return build


def default(value: str) -> Build:
    def build(b: Builder) -> None:
        add(
            b,
            "privacy_defaults",
            setting="profile_visibility",
            default_value=value,
            protective_value="private",
            changed_at="2025-01-01",
        )

    return build


def protected(protection: str) -> Build:
    def build(b: Builder) -> None:
        add(
            b,
            "data_inventory",
            store="customers/kyc",
            column_name="passport",
            data_class="special_category",
            protection=protection,
            protection_required=True,
            non_null_rows=10,
            scanned_at="2026-02-20",
        )

    return build


def restore(at: str) -> Build:
    def build(b: Builder) -> None:
        add(
            b,
            "restore_tests",
            system="ledger",
            tested_at=at,
            rto_minutes=240,
            restore_minutes=90,
            succeeded=True,
        )

    return build


def pentest(at: str) -> Build:
    def build(b: Builder) -> None:
        add(b, "security_tests", kind="penetration_test", completed_at=at, scope="web")

    return build


def breach(**details: object) -> Build:
    notified = details.pop("notified", "2026-02-06 09:00")

    def build(b: Builder) -> None:
        add(
            b,
            "security_incidents",
            incident_id=1,
            title="leak",
            severity="SEV-2",
            detected_at="2026-02-05 08:00",
            acknowledged_at="2026-02-05 08:10",
            resolved_at="2026-02-05 12:00",
            is_personal_data_breach=True,
            aware_at="2026-02-05 09:00",
            authority_notified_at=notified,
        )
        if details:
            add(b, "incident_details", incident_id=1, category="breach", **details)

    return build


COMPLETE = {
    "facts": "export on share",
    "effects": "200 customers",
    "remedial_action": "removed",
}


def dpia(completed: str, consulted: str | None = None, residual: bool = False) -> Build:
    def build(b: Builder) -> None:
        activity(activity_id=1, name="scoring", is_high_risk=True)(b)
        add(
            b,
            "dpias",
            activity_id=1,
            completed_at=completed,
            residual_high_risk=residual,
            consulted_at=consulted,
            dpo_advice_at=completed,
        )

    return build


def every_day(b: Builder) -> None:
    for day in days():
        event(b, f"{day} 12:00", 1, "data_access")


def nothing(b: Builder) -> None:
    """No extra rows."""


CASES = [
    Case("GDPR-5.1.c", field("marketing"), field("billing")),
    Case(
        "GDPR-5.1.d",
        request("rectify", "2026-01-05", "2026-02-20"),
        request("rectify", "2026-01-05", "2026-02-01"),
    ),
    Case("GDPR-5.1.e", retention(3), retention(0)),
    Case("GDPR-5.1.f", sources(5), sources(4)),
    Case("GDPR-5.2", nothing, every_day, 27),
    Case("GDPR-6.1", activity(legal_basis="because"), activity()),
    Case("GDPR-7.1", consent_use(None), consent_use("2026-01-01")),
    Case(
        "GDPR-7.3", consent_use("2025-01-01", "2026-02-01"), consent_use("2025-01-01")
    ),
    Case("GDPR-8.1", child(None), child("2026-02-04")),
    Case(
        "GDPR-12.3",
        request("access", "2026-01-02", "2026-02-10"),
        request("access", "2026-01-02", "2026-01-20"),
    ),
    Case(
        "GDPR-12.4",
        request(
            "access",
            "2026-01-10",
            None,
            outcome="refused",
            refused_at="2026-02-15",
            refusal_reasons="manifestly unfounded",
            remedy_notice=True,
        ),
        request(
            "access",
            "2026-01-10",
            None,
            outcome="refused",
            refused_at="2026-02-05",
            refusal_reasons="manifestly unfounded",
            remedy_notice=True,
        ),
    ),
    Case(
        "GDPR-12.5",
        request(
            "access",
            "2026-02-01",
            "2026-02-10",
            outcome="fulfilled",
            fee_charged=10.0,
            identity_verified_at="2026-02-02",
        ),
        request(
            "access",
            "2026-02-01",
            "2026-02-10",
            outcome="fulfilled",
            fee_charged=0.0,
            identity_verified_at="2026-02-02",
        ),
    ),
    Case(
        "GDPR-15",
        request("access", "2026-01-02", "2026-02-10"),
        request("access", "2026-01-02", "2026-01-20"),
    ),
    Case(
        "GDPR-16",
        request("rectify", "2026-01-05", "2026-02-20"),
        request("rectify", "2026-01-05", "2026-02-01"),
    ),
    Case(
        "GDPR-17",
        request(
            "erase", "2026-01-20", "2026-02-05", outcome="fulfilled", residual_records=5
        ),
        request(
            "erase", "2026-01-20", "2026-02-05", outcome="fulfilled", residual_records=0
        ),
    ),
    Case(
        "GDPR-18",
        use("analytics", restricted_at="2026-01-01"),
        use("storage", restricted_at="2026-01-01"),
    ),
    Case(
        "GDPR-19",
        request("rectify", "2026-02-01", "2026-02-05", outcome="fulfilled"),
        request(
            "rectify",
            "2026-02-01",
            "2026-02-05",
            outcome="fulfilled",
            recipients_notified_at="2026-02-06",
        ),
    ),
    Case(
        "GDPR-20",
        request(
            "portability",
            "2026-02-01",
            "2026-02-05",
            outcome="fulfilled",
            delivery_format="pdf",
        ),
        request(
            "portability",
            "2026-02-01",
            "2026-02-05",
            outcome="fulfilled",
            delivery_format="json",
        ),
    ),
    Case(
        "GDPR-21",
        use("marketing", marketing_objection_at="2026-01-10"),
        use("billing", marketing_objection_at="2026-01-10"),
    ),
    Case("GDPR-22", decision(None), decision("contract")),
    Case("GDPR-25", default("public"), default("private")),
    Case("GDPR-30", activity(recipients=None), activity()),
    Case("GDPR-32.1.a", protected("none"), protected("encrypted")),
    Case("GDPR-32.1.b-A", privileged(False), privileged(True)),
    Case("GDPR-32.1.b-B", dormant("2025-10-01"), dormant("2026-02-10")),
    Case("GDPR-32.1.c", restore("2025-01-01"), restore("2025-12-01")),
    Case("GDPR-32.1.d", pentest("2024-12-01"), pentest("2025-10-01")),
    Case("GDPR-32.2-A", attempts(11), attempts(10)),
    Case("GDPR-32.2-B", denials(6), denials(5)),
    Case("GDPR-32.4", use(None), use(None, "CASE-1")),
    Case("GDPR-33.1", breach(notified="2026-02-09 09:00"), breach()),
    Case(
        "GDPR-33.2",
        breach(
            processor_aware_at="2026-02-05 09:00", processor_reported_at="2026-02-07"
        ),
        breach(
            processor_aware_at="2026-02-05 09:00",
            processor_reported_at="2026-02-05 20:00",
        ),
    ),
    Case(
        "GDPR-33.3",
        breach(notice_complete=False, **COMPLETE),
        breach(notice_complete=True, **COMPLETE),
    ),
    Case(
        "GDPR-33.5",
        breach(facts="export on share", remedial_action="removed"),
        breach(**COMPLETE),
    ),
    Case(
        "GDPR-34",
        breach(risk_level="high", **COMPLETE),
        breach(risk_level="high", subjects_notified_at="2026-02-07", **COMPLETE),
    ),
    Case("GDPR-35", dpia("2025-07-01"), dpia("2025-05-01")),
    Case(
        "GDPR-36",
        dpia("2025-05-01", residual=True),
        dpia("2025-05-01", consulted="2025-05-15", residual=True),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_control_fails_and_passes(case: Case, backend: Backend, tmp_path: Path) -> None:
    check(case, backend.url, tmp_path)


def test_every_data_control_has_a_case() -> None:
    from .test_controls_pci import CASES as PCI_CASES

    covered = {case.control for case in [*CASES, *PCI_CASES]}
    for name in ("pci-dss", "gdpr"):
        controls = tomllib.loads((CHECKLISTS / f"{name}.toml").read_text("utf-8"))[
            "controls"
        ]
        mine = [c["id"] for c in controls if c["kind"] == "data" and c.get("reference")]
        assert sorted(set(mine) - covered) == [], name
