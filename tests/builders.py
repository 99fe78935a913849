"""Small builders for one-control cases, and a harness that audits just that control.

Every case starts from :func:`base` (two accounts, one login and one event on
2026-02-01, so the period is covered) and adds the rows that make its control fail or
pass. :func:`audit_control` writes them, audits February 2026 against a framework file
holding only that control (copied from the shipped checklist), and returns its result.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from nexus_audit import run_audit
from nexus_audit.config import Settings
from nexus_audit.model import metadata
from nexus_audit.results import ControlResult, Status

from .scenario import PERIOD, Builder, t

CHECKLISTS = Path(__file__).resolve().parents[1] / "nexus_audit" / "checklists"
Build = Callable[[Builder], None]


@dataclass(frozen=True)
class Case:
    """A control, rows that make it fail (with the findings expected), rows that pass."""

    control: str
    fail: Build
    passes: Build
    findings: int = 1

    def __str__(self) -> str:
        return self.control


def when(value: str | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return t(value)


def person(b: Builder, user_id: int, name: str, **values: Any) -> None:
    """An account; keyword values override the defaults (active, MFA, recent password)."""
    row = {
        "user_id": user_id,
        "username": name,
        "email": f"{name}@example.test",
        "status": "active",
        "created_at": t("2025-01-01"),
        "last_login_at": t("2026-02-01 09:00"),
        "mfa_enabled": True,
        "password_changed_at": t("2026-01-20"),
        "is_service_account": False,
        "terminated_at": None,
    }
    row.update({k: when(v) if k.endswith("_at") else v for k, v in values.items()})
    b.add("users", **row)


def login(
    b: Builder,
    at: str,
    user_id: int | None,
    *,
    success: bool = True,
    mfa: bool = True,
    ip: str = "100.64.0.1",
    name: str = "alice",
) -> None:
    b.add(
        "login_attempts",
        user_id=user_id,
        username=name,
        client_ip=ip,
        created_at=t(at),
        success=success,
        failure_reason=None if success else "bad_password",
        mfa_used=mfa if success else None,
    )


def event(
    b: Builder, at: str | datetime, user_id: int | None, kind: str, **values: Any
) -> None:
    row = {
        "created_at": when(at),
        "user_id": user_id,
        "event_type": kind,
        "actor_ip": "100.64.0.1",
        "resource": "customers/profile",
        "outcome": "success",
    }
    row.update(values)
    b.add("audit_log", **row)


def add(b: Builder, table: str, **values: Any) -> None:
    """A row of any table; text values of ``*_at`` columns become UTC timestamps."""
    b.add(table, **{k: when(v) if k.endswith("_at") else v for k, v in values.items()})


def role(
    b: Builder, role_id: int, name: str, *perms: str, privileged: bool = False
) -> None:
    b.add("roles", role_id=role_id, name=name, is_privileged=privileged)
    for permission in perms:
        b.add("role_permissions", role_id=role_id, permission=permission)


def grant(
    b: Builder,
    user_id: int,
    role_id: int,
    at: str = "2025-06-01",
    *,
    by: int = 1,
    approver: int | None = 1,
    revoked: str | None = None,
) -> None:
    add(
        b,
        "role_grants",
        user_id=user_id,
        role_id=role_id,
        granted_at=at,
        granted_by=by,
        approved_by=approver,
        revoked_at=revoked,
    )


def hourly(b: Builder, kind: str = "data_access") -> None:
    """One event an hour by alice over the whole period."""
    at = PERIOD.start
    while at < PERIOD.end:
        event(b, at, 1, kind)
        at += timedelta(hours=1)


def days() -> list[str]:
    """Every day of the period, as YYYY-MM-DD."""
    return [day.isoformat() for day in PERIOD.days]


def base(b: Builder) -> None:
    person(b, 1, "alice")
    person(b, 2, "svc-app", is_service_account=True, mfa_enabled=False)
    login(b, "2026-02-01 09:00", 1)
    event(b, "2026-02-01 09:00", 1, "login_success", resource="auth/login")


def framework_file(control_id: str, folder: Path) -> Path:
    """A framework file holding only ``control_id``, copied from the shipped file."""
    for name in ("pci-dss", "gdpr"):
        text = (CHECKLISTS / f"{name}.toml").read_text(encoding="utf-8")
        for block in re.split(r"(?m)^(?=\[\[controls\]\])", text)[1:]:
            if f'\nid = "{control_id}"\n' in block:
                path = folder / f"only-{name}.toml"
                header = 'id = "only"\nname = "One control"\nversion = "1"\nsource = "test"\n\n'
                path.write_text(header + block, encoding="utf-8")
                return path

    raise KeyError(control_id)


def audit_control(
    url: str, control_id: str, build: Build, folder: Path
) -> ControlResult:
    """Write base + ``build`` rows afresh and audit February 2026 for one control."""
    engine = sa.create_engine(url)
    metadata.drop_all(engine)
    engine.dispose()

    b = Builder()
    base(b)
    build(b)
    b.write(url)

    frameworks = [str(framework_file(control_id, folder))]
    result = run_audit(url, PERIOD, settings=Settings(), frameworks=frameworks)
    assert result.is_complete, result.warnings
    (control,) = result.controls

    return control


def check(case: Case, url: str, folder: Path) -> None:
    """The case fails with its findings on its fail rows and passes on its pass rows."""
    failed = audit_control(url, case.control, case.fail, folder)
    assert (failed.status, failed.finding_count) == (Status.FAIL, case.findings), (
        failed.reason
    )
    assert "Application layer: fail." in failed.reason

    passed = audit_control(url, case.control, case.passes, folder)
    assert passed.status is Status.PASS, passed.reason
