"""The 5,000 accounts of the fictional platform and the parts some of them play.

Each account gets an activity window ``[created, last_login)``: all of its background
activity happens inside it and its last login is planted exactly at ``last_login``.
That one rule is what keeps the background clean: enabled accounts last logged in
during the final 28 days, terminated ones before they left, dormant ones months ago.
Positions in the arrays are user ids minus one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..period import Period
from ._clock import (
    DAY,
    HOUR,
    MINUTE,
    NULL_TIME,
    Bools,
    Floats,
    Ints,
    between,
    history,
    office_clock,
    stream,
    us,
)
from ._frames import Codes, timestamps
from ._identity import COUNTRIES, addresses, identities
from ._spec import INJECTED

USERS = 5_000
SERVICE_ACCOUNTS = 40
STATUSES = ("active", "locked", "disabled", "terminated")
_NOT_ACTIVE = {"terminated": 150, "disabled": 200, "locked": 40}
_PRIVILEGED, _ADMINS, _STAFF = 145, 6, 8
_YEAR = 365 * DAY


@dataclass(frozen=True)
class Cast:
    """Accounts chosen for a part, as positions; no one plays two parts."""

    privileged: Ints  # hold privileged roles, all with MFA
    admins: Ints  # the first few of those: security admins who grant and respond
    staff: Ints  # the privacy team, who handle data-subject requests
    service_privileged: Ints  # service accounts with privileged roles, no MFA
    dormant: Ints  # planted: active, idle for 100 to 300 days
    dormant_disabled: Ints  # planted: as idle, but disabled
    without_mfa: Ints  # planted: privileged without MFA
    revoked_without_mfa: int  # planted: no MFA, privileged grant revoked in period
    takeover: int  # planted: the account taken over
    spray: Ints  # planted: the accounts sprayed


@dataclass(frozen=True)
class People:
    """Every account as parallel arrays, plus the ``users`` table."""

    frame: pd.DataFrame
    usernames: list[str]
    agents: list[str]
    addresses: list[str]
    address: Codes
    country: Codes
    created: Ints
    last_login: Ints
    active_until: Ints
    mfa: Bools
    service: Bools
    weight: Floats
    cast: Cast


def _created(
    rng: np.random.Generator, service: Bools, status: Ints, end: int, first: int
) -> Ints:
    """A third of the enabled staff joined during the history; the rest earlier.

    Earlier means one to four years before the period end, which is also when every
    service account, and everyone since disabled or terminated, was created.
    """
    old = end - between(rng, np.full(USERS, 400 * DAY), 4 * _YEAR)
    recent = between(rng, np.full(USERS, first), end - 3 * DAY)
    enabled = status <= STATUSES.index("locked")

    return np.where(enabled & ~service & (rng.random(USERS) < 0.35), recent, old)


def _statuses(rng: np.random.Generator, service: Bools) -> Ints:
    status = np.zeros(USERS, dtype=np.int64)
    people = rng.permutation(np.flatnonzero(~service))

    at = 0
    for name, count in _NOT_ACTIVE.items():
        status[people[at : at + count]] = STATUSES.index(name)
        at += count

    return status


def _last_logins(
    rng: np.random.Generator, status: Ints, service: Bools, created: Ints, end: int
) -> tuple[Ints, Ints]:
    """Last login per account, and when terminated staff left."""
    # Enabled accounts: most within a day or two, none more than 28 days ago.
    idle = np.minimum(rng.exponential(1.5 * DAY, USERS), 27 * DAY).astype(np.int64)
    day = (end - DAY - idle) // DAY * DAY
    last = np.maximum(day + office_clock(rng, USERS), created + HOUR)
    last = np.where(service, end - between(rng, np.full(USERS, MINUTE), 2 * HOUR), last)

    left = between(rng, created + 30 * DAY, end - DAY)
    terminated = status == STATUSES.index("terminated")
    gone = np.maximum(
        left - between(rng, np.zeros(USERS, np.int64), 3 * DAY), created + HOUR
    )
    last = np.where(terminated, gone, last)

    disabled = status == STATUSES.index("disabled")
    quiet = np.maximum(end - between(rng, np.full(USERS, 35 * DAY), 700 * DAY), created)
    last = np.where(disabled, quiet + DAY, last)

    return last, np.where(terminated, left, NULL_TIME)


def _cast(
    rng: np.random.Generator,
    period: Period,
    status: Ints,
    created: Ints,
    last: Ints,
    service: Bools,
    country: Codes,
) -> Cast:
    """Pick the planted and the supporting parts among long-standing active staff."""
    first = us(history(period)[0].start)
    eligible = (status == 0) & ~service & (created < first - 30 * DAY)
    pool = rng.permutation(np.flatnonzero(eligible))

    # Targets of the attacks log in again after the attack day, as people do.
    takeover, spray = INJECTED.takeover, INJECTED.password_spray
    home = list(COUNTRIES).index(takeover.home_country)
    later = pool[last[pool] >= us(period.start) + (takeover.day + 1) * DAY]
    target = int(later[country[later] == home][0])
    pool = pool[pool != target]

    later = pool[last[pool] >= us(period.start) + (spray.day + 1) * DAY]
    victims = later[: spray.users]
    pool = pool[~np.isin(pool, victims)]

    counts = [INJECTED.dormancy.active_users, INJECTED.privileges.without_mfa, 1]
    counts += [_PRIVILEGED, _STAFF]
    dormant, without_mfa, revoked, privileged, staff, _ = np.split(
        pool, np.cumsum(counts)
    )

    disabled = rng.permutation(np.flatnonzero(status == STATUSES.index("disabled")))
    services = rng.permutation(np.flatnonzero(service))

    return Cast(
        privileged=privileged,
        admins=privileged[:_ADMINS],
        staff=staff,
        service_privileged=services[:5],
        dormant=dormant,
        dormant_disabled=disabled[: INJECTED.dormancy.disabled_users],
        without_mfa=without_mfa,
        revoked_without_mfa=int(revoked[0]),
        takeover=target,
        spray=victims,
    )


def _plant_dormancy(rng: np.random.Generator, cast: Cast, last: Ints, end: int) -> None:
    """Dormant accounts last logged in 100 to 300 days before the period end."""
    rule = INJECTED.dormancy
    idle = np.concatenate([cast.dormant, cast.dormant_disabled])
    days = rng.uniform(rule.min_idle_days + 0.1, rule.max_idle_days - 0.1, idle.size)

    last[idle] = end - (days * DAY).astype(np.int64)


def _mfa(rng: np.random.Generator, service: Bools, cast: Cast) -> Bools:
    """Seven in ten people use MFA; every privileged grantee does, bar the planted."""
    mfa = (rng.random(USERS) < 0.7) & ~service
    mfa[cast.privileged] = True
    mfa[cast.without_mfa] = False
    mfa[cast.revoked_without_mfa] = False

    return mfa


def people(period: Period, seed: int) -> People:
    """Build every account of the platform for a demo of ``period``."""
    rng = stream(seed, "people")
    end, first = us(period.end), us(history(period)[0].start)

    service = np.zeros(USERS, dtype=np.bool_)
    service[rng.choice(USERS, SERVICE_ACCOUNTS, replace=False)] = True
    shares = np.array([share for _, share in COUNTRIES.values()])
    country = rng.choice(len(COUNTRIES), USERS, p=shares / shares.sum()).astype(
        np.int32
    )

    status = _statuses(rng, service)
    created = _created(rng, service, status, end, first)

    last, terminated = _last_logins(rng, status, service, created, end)
    cast = _cast(rng, period, status, created, last, service, country)
    _plant_dormancy(rng, cast, last, end)

    mfa = _mfa(rng, service, cast)
    # Passwords were last set within 400 days, or before the account fell idle; people
    # in use without MFA changed theirs within 90 days (PCI DSS 8.3.9), and application
    # accounts within 300 days (their rotation interval is a year, 8.6.3).
    earliest = np.maximum(created, np.minimum(end - 400 * DAY, last - DAY))
    single = ~mfa & ~service & (last > end - 85 * DAY)
    earliest = np.where(single, np.maximum(earliest, end - 85 * DAY), earliest)
    earliest = np.where(service, np.maximum(earliest, end - 300 * DAY), earliest)
    changed = between(rng, earliest, last)
    weight = np.where(service, 3.0, 1.0) * rng.lognormal(0.0, 0.8, USERS)

    # Sessions outlive the last login: accounts still in use keep acting to the end of
    # the history, so audit volume does not fade over the month's last days.
    enabled = status <= STATUSES.index("locked")
    active_until = np.where(enabled & (last >= end - 28 * DAY), end, last)

    names, emails, agents = identities(seed, country, service)
    address, table = addresses(rng, USERS)

    frame = pd.DataFrame(
        {
            "user_id": np.arange(1, USERS + 1),
            "username": names,
            "email": emails,
            "status": [STATUSES[s] for s in status.tolist()],
            "created_at": timestamps(created),
            "last_login_at": timestamps(last),
            "mfa_enabled": mfa,
            "password_changed_at": timestamps(changed),
            "is_service_account": service,
            "terminated_at": timestamps(terminated),
        }
    )

    return People(
        frame=frame,
        usernames=names,
        agents=agents,
        addresses=table,
        address=address,
        country=country,
        created=created,
        last_login=last,
        active_until=active_until,
        mfa=mfa,
        service=service,
        weight=weight,
        cast=cast,
    )
