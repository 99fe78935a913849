"""Roles and role grants over the 13 months of history.

Every privileged grantee is a long-standing member of staff with MFA, every grant is
made by a security admin and approved by someone else (PCI DSS 7.2.4 / 8.2.4), except
the planted findings. The number of grants per month comes from its own random stream,
so it is the same at every ``events`` size.
"""

from __future__ import annotations

from datetime import time
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..period import Period
from ._clock import DAY, HOUR, NULL_TIME, Ints, between, history, stream, us
from ._frames import ids, micros, timestamps
from ._people import People
from ._spec import INJECTED, day_at

ROLES: tuple[tuple[str, bool], ...] = (
    ("platform-admin", True),
    ("security-admin", True),
    ("dba", True),
    ("payments-ops", True),
    ("support", False),
    ("analyst", False),
    ("developer", False),
    ("viewer", False),
)
"""Role names and whether they are privileged; role ids are positions + 1."""

ROLE_IDS = {name: index + 1 for index, (name, _) in enumerate(ROLES)}
_PRIVILEGED = [ROLE_IDS[name] for name, privileged in ROLES if privileged]
_GRANTABLE = np.array([ROLE_IDS[r] for r in ("platform-admin", "dba", "payments-ops")])
_GRANTABLE_SHARES = np.array([0.1, 0.4, 0.5])
_ORDINARY = np.array([ROLE_IDS[name] for name, privileged in ROLES if not privileged])


class Grant(NamedTuple):
    """One row of ``role_grants``: user positions and epoch microseconds."""

    user: int
    role: int
    granted: int
    revoked: int = NULL_TIME
    granted_by: int = -1
    approved_by: int = -1


def roles() -> pd.DataFrame:
    """The ``roles`` table."""
    return pd.DataFrame(
        {
            "role_id": list(ROLE_IDS.values()),
            "name": list(ROLE_IDS),
            "is_privileged": [privileged for _, privileged in ROLES],
        }
    )


def _office(rng: np.random.Generator, lo: int, hi: int) -> int:
    """A moment between 08:00 and 18:00 on a day in ``[lo, hi)``."""
    day = int(between(rng, lo, hi)) // DAY * DAY

    return day + 8 * HOUR + int(between(rng, 0, 10 * HOUR))


def _privileged_role(rng: np.random.Generator) -> int:
    return int(rng.choice(_GRANTABLE, p=_GRANTABLE_SHARES))


def _standing(rng: np.random.Generator, people: People, first: int) -> list[Grant]:
    """Privileged grants held since before the history began."""
    cast = people.cast
    grants = []

    for user in np.concatenate([cast.privileged, cast.service_privileged]).tolist():
        is_admin = user in cast.admins
        role = ROLE_IDS["security-admin"] if is_admin else _privileged_role(rng)
        granted = _office(rng, int(people.created[user]) + DAY, first)
        grants.append(Grant(user, role, granted))

    return grants


def _planted(rng: np.random.Generator, people: People, period: Period) -> list[Grant]:
    """Privileged grants of the accounts without MFA (PCI DSS 8.4.1).

    Three are held at the end of the period; the fourth is revoked during it.
    """
    first, start = us(history(period)[0].start), us(period.start)
    revoked = us(day_at(period, INJECTED.privileges.revoked_day, time(11, 0)))

    grants = [
        Grant(user, _privileged_role(rng), _office(rng, first, start - 3 * DAY))
        for user in people.cast.without_mfa.tolist()
    ]
    granted = _office(rng, first, start - 30 * DAY)
    user = people.cast.revoked_without_mfa
    grants.append(Grant(user, _privileged_role(rng), granted, revoked))

    return grants


def _monthly(rng: np.random.Generator, people: People, period: Period) -> list[Grant]:
    """24 to 36 grants a month, three in ten privileged, a quarter revoked later."""
    months = history(period)
    end, first = us(period.end), us(months[0].start)
    status = people.frame["status"].to_numpy()
    ordinary = np.flatnonzero(
        (status == "active")
        & ~people.service
        & (people.created < first)
        & (people.last_login > end - 28 * DAY)
    )

    grants: list[Grant] = []
    for month in months:
        for _ in range(int(rng.integers(24, 37))):
            if rng.random() < 0.3:
                user = int(rng.choice(people.cast.privileged))
                role = _privileged_role(rng)
            else:
                user, role = int(rng.choice(ordinary)), int(rng.choice(_ORDINARY))
            granted = _office(rng, us(month.start), us(month.end))
            revoked = granted + int(between(rng, 3 * DAY, 150 * DAY))
            if rng.random() > 0.25 or revoked >= end - HOUR:
                revoked = NULL_TIME
            grants.append(Grant(user, role, granted, revoked))

    return grants


def _approved(rng: np.random.Generator, people: People, grant: Grant) -> Grant:
    """A security admin makes the change and another person approves it."""
    admins = people.cast.admins[people.cast.admins != grant.user]
    granted_by = int(rng.choice(admins))
    others = people.cast.privileged
    others = others[(others != grant.user) & (others != granted_by)]

    return grant._replace(granted_by=granted_by, approved_by=int(rng.choice(others)))


def _self_approved(rng: np.random.Generator, people: People, period: Period) -> Grant:
    """The planted finding: a grantee who made and approved their own grant."""
    rule = INJECTED.privileges
    user = int(rng.choice(people.cast.privileged[len(people.cast.admins) :]))
    when = us(day_at(period, rule.self_approved_day, rule.self_approved_at))

    return Grant(user, ROLE_IDS[rule.self_approved_role], when, NULL_TIME, user, user)


def grants(people: People, period: Period, seed: int) -> tuple[pd.DataFrame, int]:
    """The ``role_grants`` table and the id of the self-approved grant."""
    rng = stream(seed, "grants")
    first = us(history(period)[0].start)
    rows = _standing(rng, people, first) + _planted(rng, people, period)
    rows += _monthly(rng, people, period)
    rows = [_approved(rng, people, grant) for grant in rows]
    rows.append(_self_approved(rng, people, period))

    table = pd.DataFrame(rows, columns=list(Grant._fields))
    order = np.argsort(table["granted"].to_numpy(), kind="stable")
    table = table.iloc[order]
    frame = pd.DataFrame(
        {
            "grant_id": np.arange(1, len(table) + 1),
            "user_id": table["user"].to_numpy() + 1,
            "role_id": table["role"].to_numpy(),
            "granted_at": timestamps(table["granted"].to_numpy()),
            "granted_by": ids(table["granted_by"].to_numpy()),
            "approved_by": ids(table["approved_by"].to_numpy()),
            "revoked_at": timestamps(table["revoked"].to_numpy()),
        }
    )

    return frame, int(np.flatnonzero(order == len(rows) - 1)[0]) + 1


def holders(grants: pd.DataFrame, start: int, end: int) -> Ints:
    """Positions of users holding a privileged grant for all of ``[start, end)``."""
    privileged = grants["role_id"].isin(_PRIVILEGED).to_numpy()
    granted, revoked = micros(grants["granted_at"]), micros(grants["revoked_at"])
    held = privileged & (granted <= start)
    held &= (revoked == NULL_TIME) | (revoked >= end)

    return np.unique(grants["user_id"].to_numpy()[held] - 1)
