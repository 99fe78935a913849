"""A small platform written row by row, whose detections were worked out by hand.

The reporting period is February 2026 (28 days, [2026-02-01, 2026-03-01) UTC). Each
block below says what it plants and what the queries must find; ``test_queries`` asserts
exactly those values.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from nexus_audit.model import metadata
from nexus_audit.period import Period

PERIOD = Period.month(2026, 2)


def t(text: str) -> datetime:
    """A UTC timestamp from 'YYYY-MM-DD HH:MM[:SS]'."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class Builder:
    """Collects rows per table and writes them; ids are assigned in order."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def add(self, table: str, **values: Any) -> None:
        columns = metadata.tables[table].columns
        row = {column.name: values.pop(column.name, None) for column in columns}
        if values:
            raise TypeError(f"{table} has no column(s) {sorted(values)}")
        key = next(iter(metadata.tables[table].primary_key.columns)).name
        if row[key] is None:
            row[key] = len(self.rows[table]) + 1
        self.rows[table].append(row)

    def write(self, url: str, skip: tuple[str, ...] = ()) -> None:
        engine = sa.create_engine(url)
        tables = [table for name, table in metadata.tables.items() if name not in skip]
        metadata.create_all(engine, tables=tables)
        with engine.begin() as connection:
            for table in tables:
                if self.rows[table.name]:
                    connection.execute(table.insert(), self.rows[table.name])
        engine.dispose()


def user(
    b: Builder,
    user_id: int,
    name: str,
    *,
    status: str = "active",
    created: str = "2025-01-01",
    last_login: str | None = None,
    mfa: bool = True,
    service: bool = False,
) -> None:
    b.add(
        "users",
        user_id=user_id,
        username=name,
        email=f"{name}@example.test",
        status=status,
        created_at=t(created),
        last_login_at=t(last_login) if last_login else None,
        mfa_enabled=mfa,
        password_changed_at=t(created),
        is_service_account=service,
    )


def attempt(
    b: Builder,
    when: str | datetime,
    ip: str,
    username: str,
    user_id: int | None = None,
    success: bool = False,
) -> None:
    b.add(
        "login_attempts",
        user_id=user_id,
        username=username,
        client_ip=ip,
        created_at=t(when) if isinstance(when, str) else when,
        success=success,
        failure_reason=None if success else "bad_password",
        mfa_used=success,
    )


def event(b: Builder, when: str | datetime, user_id: int | None, kind: str) -> None:
    b.add(
        "audit_log",
        created_at=t(when) if isinstance(when, str) else when,
        user_id=user_id,
        event_type=kind,
        actor_ip="100.64.0.1",
        resource="customers/profile",
        outcome="success",
    )


def every(start: str, step_minutes: float, count: int) -> list[datetime]:
    return [t(start) + timedelta(minutes=step_minutes * i) for i in range(count)]


def users(b: Builder) -> None:
    # Dormancy at 2026-03-01: bob 151 days, gina 120 (her last_login_at lies after the
    # period, so her last success before it counts), carol 106 (never logged in, counted
    # from creation), ivan 91; hank sits exactly on 90 days and is not dormant.
    user(b, 1, "alice", last_login="2026-02-20")
    user(b, 2, "bob", last_login="2025-10-01", mfa=False)
    user(b, 3, "carol", status="locked", created="2025-11-15")
    user(b, 4, "dave", status="disabled", last_login="2025-01-01")
    user(b, 5, "erin", created="2026-01-10", mfa=False)
    user(b, 6, "frank")
    user(b, 7, "svc-batch", last_login="2026-02-27", mfa=False, service=True)
    user(b, 8, "gina", last_login="2026-03-05")
    user(b, 9, "hank", last_login="2025-12-01")
    user(b, 10, "ivan", last_login="2025-11-30 23:59:59")
    attempt(b, "2025-11-01 09:00", "100.64.0.8", "gina", 8, success=True)


def grants(b: Builder) -> None:
    # Privileged holders at the period end: alice (MFA), bob and erin (no MFA); frank's
    # grant was revoked in the period and svc-batch is a service account.
    b.add("roles", role_id=1, name="platform-admin", is_privileged=True)
    b.add("roles", role_id=2, name="viewer", is_privileged=False)
    grant = [
        (1, 1, "2025-06-01", 6, 6, None),
        (2, 1, "2025-07-01", 1, 1, None),
        (6, 1, "2025-08-01", 1, 1, "2026-02-10"),
        (5, 1, "2026-02-15", 5, 5, None),  # self-approved, in the period
        (7, 1, "2025-09-01", 1, 1, None),
        (8, 2, "2026-02-20", 1, None, None),  # no approver, in the period
        (9, 2, "2026-02-28 23:59:59", 1, 1, None),  # last second of the period
        (10, 2, "2026-03-01", 1, 1, None),  # first second after it
    ]
    for user_id, role, granted, by, approver, revoked in grant:
        b.add(
            "role_grants",
            user_id=user_id,
            role_id=role,
            granted_at=t(granted),
            granted_by=by,
            approved_by=approver,
            revoked_at=t(revoked) if revoked else None,
        )


def logins(b: Builder) -> None:
    # 203.0.113.5: 5 failures in 8 minutes, a sixth later, then a success for alice.
    for when in every("2026-02-10 10:00", 2, 5) + [t("2026-02-10 10:30")]:
        attempt(b, when, "203.0.113.5", "root")
    attempt(b, "2026-02-10 10:40", "203.0.113.5", "alice", 1, success=True)

    # The closed 10-minute window: .8 has 5 failures in exactly 600 s, .7 in 601 s.
    for when in every("2026-02-11 12:00", 3, 4):
        attempt(b, when, "198.51.100.7", "test")
        attempt(b, when, "198.51.100.8", "test")
    attempt(b, "2026-02-11 12:10:01", "198.51.100.7", "test")
    attempt(b, "2026-02-11 12:10:00", "198.51.100.8", "test")

    # Spraying: 12 names a minute apart, three of them real accounts.
    names = ["alice", "bob", "carol"] + [f"guess{i}" for i in range(9)]
    for index, when in enumerate(every("2026-02-12 01:00", 1, 12)):
        attempt(b, when, "192.0.2.9", names[index], index + 1 if index < 3 else None)

    # A burst across the period start: 3 failures in January, 2 in February.
    for when in every("2026-01-31 23:55", 2, 5):
        attempt(b, when, "192.0.2.50", "admin")

    # frank: 10 failures then a success within 50 minutes (11 attempts), and a later
    # success from a second address. alice: exactly 10 attempts in 54 minutes.
    for when in every("2026-02-03 09:00", 5, 10):
        attempt(b, when, "100.64.0.6", "frank", 6)
    attempt(b, "2026-02-03 09:50", "100.64.0.6", "frank", 6, success=True)
    attempt(b, "2026-02-20 08:00", "2001:db8::6", "frank", 6, success=True)
    for when in every("2026-02-05 14:00", 6, 10):
        attempt(b, when, "100.64.0.1", "alice", 1, success=True)


def audit_events(b: Builder) -> None:
    # One event a day keeps every day covered; history back to February 2025.
    for day in range(28):
        event(b, t("2026-02-01 12:00") + timedelta(days=day), 1, "data_access")
    for when in ("2025-02-15 10:00", "2025-12-15 10:00", "2026-01-15 10:00"):
        event(b, when, 1, "data_access")

    # bob: 6 denials in 50 minutes (flagged); alice: 5 failures in an hour (not);
    # carol: 3 + 3 across the period start, 6 within the hour ending 00:20 (flagged).
    for when in every("2026-02-07 08:00", 10, 6):
        event(b, when, 2, "permission_denied")
    for when in every("2026-02-08 08:00", 12, 5):
        event(b, when, 1, "failed_login")
    for when in every("2026-01-31 23:30", 10, 6):
        event(b, when, 3, "failed_login")


def incidents(b: Builder) -> None:
    rows = [
        # severity, detected, acknowledged, resolved, breach, aware, notified
        (
            "SEV-1",
            "2026-02-02 10:00",
            "2026-02-02 10:10",
            "2026-02-02 13:00",
            False,
            None,
            None,
        ),
        (
            "SEV-2",
            "2026-02-05 14:00",
            "2026-02-05 14:31",
            "2026-02-05 20:00",
            False,
            None,
            None,
        ),
        ("SEV-3", "2026-02-27 09:00", "2026-02-27 09:30", None, False, None, None),
        ("SEV-4", "2026-02-28 20:00", None, None, False, None, None),
        ("SEV-2", "2026-01-30 10:00", "2026-01-30 12:00", None, False, None, None),
        (
            "SEV-2",
            "2026-02-01 08:00",
            "2026-02-01 08:10",
            "2026-02-01 12:00",
            True,
            "2026-02-01 09:00",
            "2026-02-04 09:00",
        ),
        (
            "SEV-3",
            "2026-02-20 10:00",
            "2026-02-20 10:30",
            "2026-02-21 08:00",
            True,
            "2026-02-20 12:00",
            "2026-02-24 12:00",
        ),
        (
            "SEV-4",
            "2026-02-26 23:00",
            "2026-02-26 23:30",
            "2026-02-27 10:00",
            True,
            "2026-02-27 00:00",
            None,
        ),
        (
            "SEV-4",
            "2026-01-29 12:00",
            "2026-01-29 12:30",
            "2026-01-29 14:00",
            True,
            None,
            None,
        ),
    ]
    for severity, detected, ack, resolved, breach, aware, notified in rows:
        b.add(
            "security_incidents",
            title=f"{severity} at {detected}",
            severity=severity,
            detected_at=t(detected),
            acknowledged_at=t(ack) if ack else None,
            resolved_at=t(resolved) if resolved else None,
            is_personal_data_breach=breach,
            aware_at=t(aware) if aware else None,
            authority_notified_at=t(notified) if notified else None,
        )


def requests(b: Builder) -> None:
    rows = [
        ("2026-01-15 10:00", None, "2026-02-10 10:00"),  # 1 due 02-15, on time
        ("2026-01-20 09:00", None, "2026-02-25 09:00"),  # 2 due 02-20, 5 days late
        ("2026-01-31 12:00", None, None),  # 3 due 02-28 (clamped), open
        ("2025-12-10 10:00", "2025-12-20 10:00", "2026-02-05 10:00"),  # 4 due 03-10
        ("2025-12-05 10:00", None, None),  # 5 due 01-05, still open
        ("2025-12-01 10:00", None, "2025-12-20 10:00"),  # 6 done before the period
        ("2026-02-10 10:00", None, None),  # 7 due 03-10
        (
            "2025-12-28 10:00",
            "2026-01-30 10:00",
            "2026-02-03 10:00",
        ),  # 8 late extension
    ]
    for received, extended, completed in rows:
        b.add(
            "data_subject_requests",
            subject_id=1,
            request_type="access",
            received_at=t(received),
            extended_at=t(extended) if extended else None,
            completed_at=t(completed) if completed else None,
        )


def february() -> Builder:
    """The whole scenario."""
    b = Builder()
    for part in (users, grants, logins, audit_events, incidents, requests):
        part(b)
    return b
