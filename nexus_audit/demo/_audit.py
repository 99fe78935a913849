"""Audit events of one month, as numpy columns of vocabulary codes.

The month's audit log is three streams merged by time: one event per login attempt
(same moment, account, address and outcome), background work drawn in bulk (mostly
data access, about 1 % permission denied), and the events mirroring other tables.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from ._access import ROLES
from ._clock import Floats, Ints, Month, draw
from ._frames import Codes, Columns, Vocabulary, concat, take
from ._logins import REASONS, Quiet, capped, quieted
from ._people import People
from ._records import Records

EVENT_TYPES = (
    "login_success",
    "failed_login",
    "data_access",
    "admin_action",
    "permission_denied",
    "config_change",
    "password_changed",
    "password_reset",
    "mfa_enrolled",
    "role_granted",
    "role_revoked",
    "account_created",
    "account_disabled",
    "audit_log_read",
    "audit_log_export",
    "consent_given",
    "consent_withdrawn",
    "dsr_received",
    "dsr_completed",
    "incident_opened",
    "incident_closed",
    "lockout",
    "unlock",
)
"""Every ``audit_log.event_type`` the demo writes."""

OUTCOMES = ("success", "failure")
_LOGIN = "auth/login"
_DENIED = EVENT_TYPES.index("permission_denied")
_SERVICE_SHARE = 0.15


@dataclass(frozen=True)
class _Work:
    """One kind of background event: share of the bulk, actors, resources, details."""

    kind: str
    share: float
    actors: str
    resources: tuple[str, ...]
    details: tuple[str, ...] = ()


def _notes(key: str, values: Iterable[object]) -> tuple[str, ...]:
    return tuple(json.dumps({key: value}) for value in values)


_SENSITIVE = ("payments/cards", "customers/kyc-documents", "ledger/entries")
_ADMIN = ("iam/users", "iam/roles", "admin/feature-flags", "admin/api-keys")
_CONFIG = ("config/tls", "config/firewall", "config/payment-gateway")
_PRIVILEGED = [name for name, privileged in ROLES if privileged]

_BULK = (
    _Work("permission_denied", 0.0125, "staff", _SENSITIVE,
          _notes("required_role", _PRIVILEGED)),
    _Work("admin_action", 0.03, "holders", _ADMIN,
          _notes("action", ("create", "update", "delete"))),
    _Work("config_change", 0.005, "holders", _CONFIG,
          _notes("ticket", (f"CHG-{n}" for n in range(4100, 4200)))),
    _Work("audit_log_read", 0.005, "holders", ("audit/log",)),
    _Work("audit_log_export", 0.0005, "holders", ("audit/log",),
          _notes("format", ("csv",))),
    _Work("password_reset", 0.004, "staff", ("auth/password",)),
    _Work("mfa_enrolled", 0.002, "mfa", ("auth/mfa",)),
    _Work("lockout", 0.003, "staff", ("auth/account",)),
    _Work("unlock", 0.003, "holders", ("auth/account",)),
)  # fmt: skip
"""Background work other than data access, which takes the rest of the bulk."""

_ACCESS = (
    "payments/cards",
    "payments/transactions",
    "payments/refunds",
    "customers/profile",
    "customers/kyc-documents",
    "merchants/settlements",
    "merchants/onboarding",
    "ledger/entries",
    "disputes/chargebacks",
    "reports/monthly",
)
_ROWS = tuple(json.dumps({"rows": n}) for n in range(1, 501))
_FAILED = tuple(json.dumps({"reason": r}) for r in REASONS)


def vocabularies() -> tuple[Vocabulary, Vocabulary]:
    """Resources and details every month starts from."""
    resources = Vocabulary([_LOGIN, *_ACCESS])
    details = Vocabulary(_FAILED + _ROWS)
    for work in _BULK:
        resources.codes(work.resources)
        details.codes(work.details)

    return resources, details


def _full(size: int, code: int) -> Codes:
    return np.full(size, code, dtype=np.int32)


def login_events(logins: Columns) -> Columns:
    """One event per attempt: same moment, account, address and outcome.

    The details of a failure are code ``reason`` because the vocabulary starts with
    the failure reasons in ``REASONS`` order.
    """
    failed = ~logins["success"]
    kind = np.where(failed, EVENT_TYPES.index("failed_login"), 0).astype(np.int32)

    return {
        "user": logins["user"],
        "time": logins["time"],
        "kind": kind,
        "address": logins["address"].astype(np.int32),
        "resource": _full(kind.size, 0),
        "outcome": failed.astype(np.int32),
        "details": logins["reason"].astype(np.int32),
    }


def _weights(people: People, holders: Ints) -> dict[str, Floats]:
    staff = people.weight * ~people.service
    held = np.zeros(staff.size, dtype=np.bool_)
    held[holders] = True

    return {"staff": staff, "mfa": staff * people.mfa, "holders": staff * held}


def _events(
    rng: np.random.Generator,
    people: People,
    month: Month,
    kind: str,
    count: int,
    weights: Floats,
    office: bool = True,
) -> Columns:
    user, time = draw(
        rng, month, count, weights, people.created, people.active_until, office
    )
    address = people.address[user, rng.integers(0, 2, user.size)]

    return {
        "user": user,
        "time": time,
        "address": address,
        "kind": _full(user.size, EVENT_TYPES.index(kind)),
    }


def _dress(
    rng: np.random.Generator, rows: Columns, places: Codes, notes: Codes, blank: float
) -> Columns:
    """Resources, outcome and details drawn for events of one kind."""
    size = rows["user"].size
    detail = rng.choice(notes, size) if notes.size else _full(size, -1)
    failed = rows["kind"] == _DENIED

    return rows | {
        "resource": rng.choice(places, size),
        "outcome": failed.astype(np.int32),
        "details": np.where(rng.random(size) < blank, -1, detail).astype(np.int32),
    }


def bulk(
    rng: np.random.Generator,
    people: People,
    month: Month,
    count: int,
    holders: Ints,
    quiet: list[Quiet],
    vocab: tuple[Vocabulary, Vocabulary],
) -> Columns:
    """``count`` background events; permission denials capped at one an hour."""
    resources, details = vocab
    weights = _weights(people, holders)
    parts: list[Columns] = []

    for work in _BULK:
        size = round(count * work.share)
        rows = _events(rng, people, month, work.kind, size, weights[work.actors])
        codes = resources.codes(work.resources), details.codes(work.details)
        parts.append(_dress(rng, rows, *codes, blank=0.0))

    rest = count - sum(round(count * work.share) for work in _BULK)
    machine = round(rest * _SERVICE_SHARE)
    access = resources.codes(_ACCESS), details.codes(_ROWS)
    for weight, number, office in (
        (weights["staff"], rest - machine, True),
        (people.weight * people.service, machine, False),
    ):
        rows = _events(rng, people, month, "data_access", number, weight, office)
        parts.append(_dress(rng, rows, *access, blank=0.5))

    events = concat(parts)
    keep = ~quieted(events["user"], events["time"], quiet)
    denied = np.flatnonzero(keep & (events["kind"] == _DENIED))
    keep[denied] = capped(
        events["user"][denied],
        events["time"][denied],
        np.zeros(denied.size, dtype=np.int64),
        1,
    )

    return take(events, keep)


def mirrored(
    people: People, records: Records, vocab: tuple[Vocabulary, Vocabulary]
) -> Columns:
    """Audit events copied from the other tables, with the actor's home address."""
    resources, details = vocab
    user = records.user
    kinds = [EVENT_TYPES.index(k) for k in records.event_type]

    return {
        "user": user,
        "time": records.time,
        "kind": np.array(kinds, dtype=np.int32),
        "address": np.where(user >= 0, people.address[user, 0], -1).astype(np.int32),
        "resource": resources.codes(records.resource),
        "outcome": _full(user.size, 0),
        "details": details.codes(records.details),
    }
