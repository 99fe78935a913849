"""Every PCI DSS data control, failing and passing, on both engines.

Each case adds to the common base (``builders.base``) the rows that break the control
(with the number of findings that must follow) and rows that satisfy it; the numbers
are worked out from the rows written here. The period is February 2026.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from .builders import (
    Builder,
    Case,
    add,
    check,
    days,
    event,
    grant,
    hourly,
    login,
    person,
    role,
)
from .conftest import Backend
from .scenario import t


def _minutes(value: float) -> timedelta:
    return timedelta(minutes=value)


# -- requirement 3 -----------------------------------------------------------------


def retention(past: int) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        add(
            b,
            "retention_schedule",
            category="cards",
            scope="account_data",
            retention_days=365,
            justification="chargebacks",
        )
        add(
            b,
            "purge_runs",
            category="cards",
            ran_at="2026-01-15",
            records_checked=900,
            records_past_retention=past,
        )

    return build


def inventory(**values: object) -> Callable[[Builder], None]:
    row = {
        "store": "payments/cards",
        "column_name": "c",
        "data_class": "pan",
        "stage": "post_auth",
        "protection": "tokenised",
        "protection_required": True,
        "non_null_rows": 10,
        "purpose": "billing",
        "scanned_at": "2026-02-20",
    }
    row.update(values)

    def build(b: Builder) -> None:
        add(b, "data_inventory", **row)

    return build


def unmask(allowed: bool) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        role(b, 1, "support")
        role(b, 2, "card-ops", "view_full_pan")
        grant(b, 1, 2 if allowed else 1, "2026-01-01")
        event(b, "2026-02-03 10:00", 1, "pan_unmasked", resource="payments/cards")

    return build


def key(days_: int) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        add(
            b,
            "crypto_keys",
            purpose="pan",
            created_at="2025-01-01",
            cryptoperiod_days=days_,
        )

    return build


def transmission(protocol: str, fingerprint: str = "aa") -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        add(
            b,
            "certificates",
            fingerprint="aa",
            subject="api.acquirer.test",
            not_after="2027-01-01",
            is_trusted=True,
        )
        add(
            b,
            "transmissions",
            occurred_at="2026-02-10 10:00",
            endpoint="acquirer",
            carries_pan=True,
            protocol=protocol,
            certificate_fingerprint=fingerprint,
        )

    return build


# -- requirement 7 -----------------------------------------------------------------


def role_fit(fits: bool) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        role(b, 1, "developer")
        grant(b, 1, 1)
        add(
            b,
            "user_profiles",
            user_id=1,
            job_function="finance",
            account_type="employee",
        )
        add(b, "job_role_templates", job_function="finance", role_id=1 if fits else 2)

    return build


def review(completed: str) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        add(
            b,
            "access_reviews",
            scope="all_accounts",
            started_at="2025-06-01",
            completed_at=completed,
            reviewer_id=1,
            findings=2,
            findings_remediated=2,
            signed_off_by=1,
            signed_off_at=completed,
        )

    return build


def service_review(completed: str) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        add(
            b,
            "risk_analyses",
            requirement="7.2.5.1",
            frequency_days=365,
            reviewed_at="2025-12-01",
            approved_by=1,
        )
        add(
            b,
            "access_reviews",
            scope="service_accounts",
            started_at="2024-11-01",
            completed_at=completed,
            reviewer_id=1,
            findings=0,
            findings_remediated=0,
            signed_off_by=1,
            signed_off_at=completed,
        )

    return build


def direct_query(granted: bool) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        inventory()(b)
        role(b, 1, "dba", "direct_db_chd", privileged=True)
        if granted:
            grant(b, 1, 1)
        event(b, "2026-02-04 10:00", 1, "db_query", resource="payments/cards")

    return build


def admin_action(granted: bool) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        role(b, 1, "admin", privileged=True)
        if granted:
            grant(b, 1, 1)
        event(b, "2026-02-04 10:00", 1, "admin_action", resource="iam/users")

    return build


# -- requirement 8 -----------------------------------------------------------------


def duplicates(b: Builder) -> None:
    person(b, 3, "Bob")
    person(b, 4, "bob")
    event(b, "2026-02-04 10:00", 99, "data_access")


def shared(approved: bool) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        person(b, 3, "admin")
        add(b, "user_profiles", user_id=3, account_type="shared", owner_user_id=1)
        if approved:
            add(
                b,
                "account_exceptions",
                user_id=3,
                kind="shared_account",
                justification="break-glass",
                requested_by=5,
                approved_by=1,
                valid_from="2026-01-01",
                valid_until="2026-06-30",
            )

    return build


def created(approved: bool) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        person(b, 3, "carol", created_at="2026-02-10")
        if approved:
            add(
                b,
                "account_requests",
                user_id=3,
                action="create",
                requested_at="2026-02-09",
                requested_by=4,
                approved_by=1,
                approved_at="2026-02-09",
            )

    return build


def leaver(status: str) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        person(b, 3, "carol", status=status, terminated_at="2026-01-31")

    return build


def vendor(window: bool) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        person(b, 3, "acme-support", status="disabled")
        add(b, "user_profiles", user_id=3, account_type="vendor", owner_user_id=1)
        login(b, "2026-02-10 10:00", 3, name="acme-support")
        if window:
            add(
                b,
                "account_exceptions",
                user_id=3,
                kind="vendor_access",
                justification="upgrade",
                requested_by=3,
                approved_by=1,
                valid_from="2026-02-09",
                valid_until="2026-02-11",
            )

    return build


def session(**values: object) -> Callable[[Builder], None]:
    row = {
        "user_id": 1,
        "started_at": "2026-02-05 09:00",
        "ended_at": "2026-02-05 10:00",
        "channel": "web",
        "is_external": False,
        "is_interactive": True,
        "auth_factors": 2,
        "longest_idle_minutes": 10.0,
        "idle_timeout_minutes": 15,
    }
    row.update(values)

    def build(b: Builder) -> None:
        add(b, "sessions", **row)

    return build


def credential(user_id: int = 1, **values: object) -> Callable[[Builder], None]:
    row = {
        "user_id": user_id,
        "hash_algorithm": "argon2id",
        "is_salted": True,
        "set_at": "2026-01-15",
        "is_temporary": False,
        "must_change": False,
    }
    row.update(values)

    def build(b: Builder) -> None:
        add(b, "credentials", **row)

    return build


def factor_change(verified: str | None) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        add(
            b,
            "factor_changes",
            user_id=1,
            factor="password",
            changed_at="2026-02-05 10:00",
            verified_at=verified,
            verification="sms",
        )

    return build


def policy(length: int = 12, history: int = 4) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        add(
            b,
            "password_policies",
            system="portal",
            applies_to="users",
            min_length=length,
            requires_letters=True,
            requires_digits=True,
            history_depth=history,
            lockout_attempts=10,
            lockout_minutes=30,
            idle_timeout_minutes=15,
            effective_from="2025-01-01",
        )

    return build


def single_factor(changed: str) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        person(b, 3, "dan", mfa_enabled=False, password_changed_at=changed)

    return build


def customer(changed: str) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        person(b, 3, "cust-1", mfa_enabled=False, password_changed_at=changed)
        add(b, "user_profiles", user_id=3, account_type="customer")

    return build


def cde_login(mfa: bool) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        person(b, 3, "dan", mfa_enabled=mfa)
        role(b, 1, "payments-ops", "cde_access", privileged=True)
        grant(b, 3, 1)
        login(b, "2026-02-06 09:00", 3, mfa=mfa, name="dan")

    return build


def bypass(excepted: bool) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        event(b, "2026-02-05 10:00", 1, "mfa_bypass", resource="auth/mfa")
        if excepted:
            add(
                b,
                "account_exceptions",
                user_id=1,
                kind="mfa_bypass",
                justification="token lost",
                requested_by=1,
                approved_by=7,
                valid_from="2026-02-05",
                valid_until="2026-02-06",
            )

    return build


def interactive(excepted: bool) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        session(user_id=2)(b)
        if excepted:
            add(
                b,
                "account_exceptions",
                user_id=2,
                kind="interactive_use",
                justification="incident 42",
                requested_by=1,
                approved_by=7,
                valid_from="2026-02-05",
                valid_until="2026-02-06",
            )

    return build


def rotation(set_at: str) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        add(
            b,
            "risk_analyses",
            requirement="8.6.3",
            frequency_days=90,
            reviewed_at="2026-01-01",
            approved_by=1,
        )
        credential(2, set_at=set_at)(b)

    return build


# -- requirement 10 ----------------------------------------------------------------


def chd_access(user_id: int) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        inventory()(b)
        event(b, "2026-02-05 10:00", user_id, "data_access", resource="payments/cards")

    return build


def failed_day(logged: bool) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        login(b, "2026-02-03 10:00", 1, success=False)
        if logged:
            event(b, "2026-02-03 10:00", 1, "failed_login", outcome="failure")

    return build


def granted_in_period(logged: bool) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        role(b, 1, "viewer")
        grant(b, 1, 1, "2026-02-10 10:00", approver=7)
        if logged:
            event(b, "2026-02-10 10:00:20", 7, "role_granted", resource="iam/roles")

    return build


def system_object(logged: bool) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        add(
            b,
            "system_objects",
            name="fn_refund",
            object_type="function",
            created_at="2026-02-05 10:00",
        )
        if logged:
            event(b, "2026-02-05 10:00:30", 1, "config_change", resource="db/functions")

    return build


def audit_reader(granted: bool) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        role(b, 1, "auditor", "audit_read")
        if granted:
            grant(b, 1, 1)
        event(b, "2026-02-05 10:00", 1, "audit_log_read", resource="audit/log")

    return build


def reviews(
    skip: str | None = None, manual: str | None = None
) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        for day in days():
            if day == skip:
                continue
            add(
                b,
                "log_reviews",
                reviewed_day=t(day).date(),
                reviewed_at=f"{day} 09:00",
                reviewer_id=1,
                scope="security_events",
                is_automated=day != manual,
                exceptions_found=0,
                exceptions_resolved=0,
            )

    return build


def other_review(reviewed: str) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        add(
            b,
            "risk_analyses",
            requirement="10.4.2.1",
            frequency_days=30,
            reviewed_at="2026-01-01",
            approved_by=1,
        )
        add(
            b,
            "log_reviews",
            reviewed_day=t(reviewed).date(),
            reviewed_at=reviewed,
            reviewer_id=1,
            scope="other_components",
            is_automated=False,
        )

    return build


def exceptions(resolved: int) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        add(
            b,
            "log_reviews",
            reviewed_day=t("2026-02-10").date(),
            reviewed_at="2026-02-10 09:00",
            reviewer_id=1,
            scope="security_events",
            is_automated=True,
            exceptions_found=3,
            exceptions_resolved=resolved,
        )

    return build


def unreviewed_day(recorded: bool) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        reviews(skip="2026-02-14")(b)
        if recorded:
            add(
                b,
                "control_failures",
                control="log_review",
                started_at="2026-02-14 00:00",
                ended_at="2026-02-15 00:00",
                cause="SIEM outage",
                remediation="restored",
                preventive_action="HA pair",
                incident_id=1,
            )

    return build


# -- requirement 12 ----------------------------------------------------------------


def incident(b: Builder, **values: object) -> None:
    row = {
        "incident_id": 1,
        "title": "x",
        "severity": "SEV-2",
        "detected_at": "2026-02-05 09:00",
        "acknowledged_at": "2026-02-05 09:10",
        "resolved_at": "2026-02-05 12:00",
        "is_personal_data_breach": False,
    }
    row.update(values)
    add(b, "security_incidents", **row)


def details(b: Builder, **values: object) -> None:
    row = {"incident_id": 1, "category": "security"}
    row.update(values)
    add(b, "incident_details", **row)


def cde_incident(contained: str | None) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        incident(b)
        details(
            b, affects_cde=True, contained_at=contained, lessons_learned_at="2026-02-10"
        )

    return build


def exercise(at: str) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        add(b, "security_tests", kind="ir_exercise", completed_at=at, scope="tabletop")

    return build


def shifts(until: str) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        add(
            b,
            "on_call_shifts",
            person_id=1,
            starts_at="2026-01-31",
            ends_at="2026-02-15",
        )
        add(b, "on_call_shifts", person_id=2, starts_at="2026-02-15", ends_at=until)

    return build


def alert(dismissed: bool) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        add(
            b,
            "security_alerts",
            source="ids",
            severity="high",
            raised_at="2026-02-05 03:00",
            dismissed_reason="scanner" if dismissed else None,
            dismissed_by=1 if dismissed else None,
        )

    return build


def lessons(at: str | None) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        incident(b)
        details(b, lessons_learned_at=at)

    return build


def pan_found(removed: str | None) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        incident(b)
        details(
            b,
            category="pan_discovered",
            pan_location="share/exports",
            pan_removed_at=removed,
            sad_checked=True,
            root_cause="manual export",
        )

    return build


def analyses(*requirements: str) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        for requirement in requirements:
            add(
                b,
                "risk_analyses",
                requirement=requirement,
                frequency_days=90,
                reviewed_at="2025-12-01",
                approved_by=1,
            )

    return build


# -- the controls that predate the catalog -----------------------------------------


def self_approved(other: bool) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        role(b, 1, "admin", privileged=True)
        grant(b, 3, 1, "2026-02-12 16:45", by=3, approver=1 if other else 3)
        person(b, 3, "dan")

    return build


def dormant(last: str) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        person(b, 3, "dan", last_login_at=last)

    return build


def attempts(count: int) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        for i in range(count):
            at = t("2026-02-10 10:00") + _minutes(5 * i)
            login(b, at.strftime("%Y-%m-%d %H:%M"), 1, success=False)

    return build


def privileged(mfa: bool) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        role(b, 1, "admin", privileged=True)
        person(b, 3, "dan", mfa_enabled=mfa)
        grant(b, 3, 1)

    return build


def every_day(b: Builder) -> None:
    for day in days():
        event(b, f"{day} 12:00", 1, "data_access")


def denials(count: int) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        for i in range(count):
            event(
                b,
                t("2026-02-07 08:00") + _minutes(10 * i),
                1,
                "permission_denied",
                outcome="failure",
            )

    return build


def sources(count: int) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        for i in range(count):
            at = t("2026-02-11 12:00") + _minutes(2 * i)
            login(
                b,
                at.strftime("%Y-%m-%d %H:%M"),
                None,
                success=False,
                ip="203.0.113.9",
                name="root",
            )

    return build


def history(b: Builder) -> None:
    for at in ("2025-02-15 10:00", "2025-12-15 10:00", "2026-01-15 10:00"):
        event(b, at, 1, "data_access")


def response(acknowledged: str) -> Callable[[Builder], None]:
    def build(b: Builder) -> None:
        incident(
            b,
            severity="SEV-1",
            detected_at="2026-02-05 09:00",
            acknowledged_at=acknowledged,
            resolved_at="2026-02-05 11:00",
        )

    return build


def nothing(b: Builder) -> None:
    """No extra rows."""


CASES = [
    Case("PCI-3.2.1", retention(5), retention(0)),
    Case(
        "PCI-3.3.1",
        inventory(data_class="sad"),
        inventory(data_class="sad", non_null_rows=0),
    ),
    Case(
        "PCI-3.3.2",
        inventory(data_class="sad", stage="pre_auth", protection="none"),
        inventory(data_class="sad", stage="pre_auth", protection="encrypted"),
    ),
    Case("PCI-3.4.1", unmask(False), unmask(True)),
    Case(
        "PCI-3.5.1", inventory(protection="hashed"), inventory(protection="tokenised")
    ),
    Case("PCI-3.7.4", key(365), key(730)),
    Case("PCI-4.2.1", transmission("TLSv1.0"), transmission("TLSv1.3")),
    Case("PCI-4.2.1.1", transmission("TLSv1.3", "zz"), transmission("TLSv1.3")),
    Case("PCI-7.2.1", role_fit(False), role_fit(True)),
    Case("PCI-7.2.3", self_approved(False), self_approved(True)),
    Case("PCI-7.2.4", review("2025-06-30"), review("2026-01-10")),
    Case("PCI-7.2.5", service_review("2024-12-01"), service_review("2025-10-01")),
    Case("PCI-7.2.6", direct_query(False), direct_query(True)),
    Case("PCI-7.3.1", admin_action(False), admin_action(True)),
    Case("PCI-8.2.1", duplicates, nothing, 2),
    Case("PCI-8.2.2", shared(False), shared(True)),
    Case("PCI-8.2.4", created(False), created(True)),
    Case("PCI-8.2.5", leaver("active"), leaver("terminated")),
    Case("PCI-8.2.6", dormant("2025-10-01"), dormant("2026-02-10")),
    Case("PCI-8.2.7", vendor(False), vendor(True)),
    Case("PCI-8.2.8", session(longest_idle_minutes=30.0), session()),
    Case("PCI-8.3.1", session(auth_factors=0), session(auth_factors=1)),
    Case("PCI-8.3.2", credential(hash_algorithm="md5"), credential()),
    Case("PCI-8.3.3", factor_change(None), factor_change("2026-02-05 09:55")),
    Case("PCI-8.3.4", attempts(11), attempts(10)),
    Case(
        "PCI-8.3.5",
        credential(is_temporary=True),
        credential(is_temporary=True, must_change=True),
    ),
    Case("PCI-8.3.6", policy(length=8), policy()),
    Case("PCI-8.3.7", policy(history=2), policy()),
    Case("PCI-8.3.9", single_factor("2025-10-01"), single_factor("2026-01-15")),
    Case("PCI-8.3.10.1", customer("2025-10-01"), customer("2026-02-01")),
    Case("PCI-8.4.1", privileged(False), privileged(True)),
    Case("PCI-8.4.2", cde_login(False), cde_login(True)),
    Case(
        "PCI-8.4.3",
        session(is_external=True, auth_factors=1),
        session(is_external=True),
    ),
    Case("PCI-8.5.1", bypass(False), bypass(True)),
    Case("PCI-8.6.1", interactive(False), interactive(True)),
    Case("PCI-8.6.3", rotation("2025-06-01"), rotation("2026-01-15")),
    Case("PCI-10.2.1", nothing, every_day, 27),
    Case("PCI-10.2.1.1", chd_access(99), chd_access(1)),
    Case(
        "PCI-10.2.1.2",
        lambda b: event(b, "2026-02-05", None, "admin_action"),
        lambda b: event(b, "2026-02-05", 1, "admin_action"),
    ),
    Case(
        "PCI-10.2.1.3",
        lambda b: event(b, "2026-02-05", 1, "audit_log_read", actor_ip=None),
        lambda b: event(b, "2026-02-05", 1, "audit_log_read"),
    ),
    Case("PCI-10.2.1.4", failed_day(False), failed_day(True)),
    Case("PCI-10.2.1.5", granted_in_period(False), granted_in_period(True)),
    Case("PCI-10.2.1.6", nothing, hourly, 2),
    Case("PCI-10.2.1.7", system_object(False), system_object(True)),
    Case(
        "PCI-10.2.2",
        lambda b: event(b, "2026-02-05", 1, "data_access", resource=None),
        lambda b: event(b, "2026-02-05", 1, "data_access"),
    ),
    Case("PCI-10.3.1", audit_reader(False), audit_reader(True)),
    Case(
        "PCI-10.3.2", lambda b: event(b, "2026-02-05", 1, "data_access", id=5), nothing
    ),
    Case("PCI-10.4.1", reviews(skip="2026-02-14"), reviews()),
    Case("PCI-10.4.1.1", reviews(manual="2026-02-14"), reviews()),
    Case("PCI-10.4.1-A", denials(6), denials(5)),
    Case("PCI-10.4.1-B", sources(5), sources(4)),
    Case("PCI-10.4.2", other_review("2025-12-01"), other_review("2026-02-20")),
    Case("PCI-10.4.3", exceptions(1), exceptions(3)),
    Case("PCI-10.5.1", nothing, history),
    Case("PCI-10.6.1", lambda b: event(b, "2099-01-01", 1, "data_access"), nothing),
    Case("PCI-10.7.2", unreviewed_day(False), unreviewed_day(True)),
    Case("PCI-12.10.1", response("2026-02-05 09:30"), response("2026-02-05 09:10")),
    Case("PCI-12.10.1-B", cde_incident(None), cde_incident("2026-02-05 10:00")),
    Case("PCI-12.10.2", exercise("2024-12-01"), exercise("2025-11-01")),
    Case("PCI-12.10.3", shifts("2026-02-28"), shifts("2026-03-02")),
    Case("PCI-12.10.5", alert(False), alert(True)),
    Case("PCI-12.10.6", lessons(None), lessons("2026-02-10")),
    Case("PCI-12.10.7", pan_found(None), pan_found("2026-02-06")),
    Case(
        "PCI-12.3.1",
        analyses("7.2.5.1", "8.6.3", "10.4.2.1"),
        analyses("7.2.5.1", "8.6.3", "10.4.2.1", "12.10.4.1"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_control_fails_and_passes(case: Case, backend: Backend, tmp_path: Path) -> None:
    check(case, backend.url, tmp_path)
