"""Audit events that mirror the other tables (PCI DSS 10.2.1).

Every account creation, termination, password change, role grant and revocation,
incident, data-subject request and consent in the history also appears in the audit
log, at the same moment and by a plausible actor, so the log and the tables agree.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._access import ROLES
from ._clock import Ints
from ._frames import micros
from ._people import People

Objects = npt.NDArray[np.object_]


@dataclass(frozen=True)
class Records:
    """Mirrored events sorted by time; ``user`` is a position, -1 for none."""

    time: Ints
    user: Ints
    event_type: Objects
    resource: Objects
    details: Objects

    def between(self, start: int, end: int) -> Records:
        """The events in ``[start, end)``."""
        lo, hi = np.searchsorted(self.time, [start, end])
        part = slice(int(lo), int(hi))

        return Records(
            self.time[part],
            self.user[part],
            self.event_type[part],
            self.resource[part],
            self.details[part],
        )


def _json(**fields: Any) -> str:
    return json.dumps(fields, separators=(", ", ": "))


class _Log:
    """Collects mirrored events; a missing time (``NULL_TIME``) falls out later."""

    def __init__(self) -> None:
        self.parts: list[tuple[Ints, Ints, str, Sequence[str], Sequence[str | None]]]
        self.parts = []

    def add(
        self,
        event_type: str,
        time: Ints,
        user: Ints,
        resource: Sequence[str],
        details: Sequence[str | None] | None = None,
    ) -> None:
        """Record one kind of event, one per element of ``time``."""
        notes = details if details is not None else [None] * time.size
        self.parts.append((time, user, event_type, resource, notes))

    def records(self, start: int, end: int) -> Records:
        """Everything added, sorted by time, inside ``[start, end)``."""
        time = np.concatenate([part[0] for part in self.parts])
        user = np.concatenate([part[1] for part in self.parts])
        kinds = np.concatenate([np.full(p[0].size, p[2], object) for p in self.parts])
        resource = np.array([r for part in self.parts for r in part[3]], dtype=object)
        details = np.array([d for part in self.parts for d in part[4]], dtype=object)

        inside = (time >= start) & (time < end)
        order = np.flatnonzero(inside)[np.argsort(time[inside], kind="stable")]

        return Records(
            time[order], user[order], kinds[order], resource[order], details[order]
        )


def _accounts(log: _Log, users: pd.DataFrame, creator: Ints, closer: Ints) -> None:
    names = [f"iam/users/{u}" for u in users["user_id"].tolist()]
    left = [_json(reason="terminated")] * len(names)
    changed = micros(users["password_changed_at"])

    log.add("account_created", micros(users["created_at"]), creator, names)
    log.add("account_disabled", micros(users["terminated_at"]), closer, names, left)
    log.add(
        "password_changed",
        changed,
        np.arange(len(names)),
        ["auth/password"] * len(names),
    )


def _grants(log: _Log, grants: pd.DataFrame, admin: Ints) -> None:
    role = [f"iam/roles/{ROLES[r - 1][0]}" for r in grants["role_id"].tolist()]
    notes = [
        _json(grant_id=g, grantee=u)
        for g, u in zip(
            grants["grant_id"].tolist(), grants["user_id"].tolist(), strict=True
        )
    ]
    granted_by = grants["granted_by"].to_numpy(dtype=np.int64, na_value=0) - 1

    log.add("role_granted", micros(grants["granted_at"]), granted_by, role, notes)
    log.add("role_revoked", micros(grants["revoked_at"]), admin, role, notes)


def _incidents(log: _Log, incidents: pd.DataFrame, admin: Ints) -> None:
    names = [f"incidents/{i}" for i in incidents["incident_id"].tolist()]
    notes = [_json(severity=s) for s in incidents["severity"].tolist()]

    log.add("incident_opened", micros(incidents["detected_at"]), admin, names, notes)
    log.add("incident_closed", micros(incidents["resolved_at"]), admin, names, notes)


def _requests(log: _Log, requests: pd.DataFrame, staff: Ints) -> None:
    names = [f"privacy/requests/{i}" for i in requests["request_id"].tolist()]
    notes = [_json(type=t) for t in requests["request_type"].tolist()]

    log.add("dsr_received", micros(requests["received_at"]), staff, names, notes)
    log.add("dsr_completed", micros(requests["completed_at"]), staff, names, notes)


def _consents(log: _Log, consents: pd.DataFrame) -> None:
    subject = consents["subject_id"].to_numpy(dtype=np.int64) - 1
    names = [f"privacy/consents/{p}" for p in consents["purpose"].tolist()]

    log.add("consent_given", micros(consents["given_at"]), subject, names)
    log.add("consent_withdrawn", micros(consents["withdrawn_at"]), subject, names)


def records(
    rng: np.random.Generator,
    people: People,
    tables: dict[str, pd.DataFrame],
    start: int,
    end: int,
) -> Records:
    """Mirror ``tables`` into audit events inside ``[start, end)``.

    Security admins create and close accounts, change grants and handle incidents;
    the privacy team handles requests; people change their own passwords and consents.
    """
    admins, staff = people.cast.admins, people.cast.staff

    def pick(pool: Ints, table: str) -> Ints:
        return rng.choice(pool, len(tables[table])).astype(np.int64)

    log = _Log()
    users = tables["users"]
    _accounts(log, users, pick(admins, "users"), pick(admins, "users"))
    _grants(log, tables["role_grants"], pick(admins, "role_grants"))
    incidents, requests = "security_incidents", "data_subject_requests"
    _incidents(log, tables[incidents], pick(admins, incidents))
    _requests(log, tables[requests], pick(staff, requests))
    _consents(log, tables["consents"])

    return log.records(start, end)
