"""Security incidents, data-subject requests and consents.

Background records always meet their deadlines: incidents are acknowledged and
resolved inside their severity's targets, breaches are notified 24 to 60 hours after
awareness (GDPR Art. 33 allows 72), and requests are answered within 3 to 20 days
(Art. 12(3) allows a month). Only the planted records miss.
"""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..period import Period
from ._clock import DAY, HOUR, NULL_TIME, between, history, stream, us
from ._frames import ids, timestamps
from ._people import People
from ._spec import INJECTED, SEVERITY_TARGETS, Incident, day_at

_SEVERITY_SHARES = (0.05, 0.15, 0.40, 0.40)
_TITLES = (
    "Phishing e-mail reported by staff",
    "Malware blocked on laptop",
    "Suspicious login pattern on VPN",
    "Card tokenisation latency",
    "Vulnerability scan finding on web tier",
    "Misrouted settlement file",
    "DDoS against public API",
    "Lost company phone",
    "Expired TLS certificate",
    "Excessive permissions found in review",
    "Firewall rule change without ticket",
    "Backup job failure",
)
_REQUESTS = ("access", "erase", "rectify", "portability", "restrict", "object")
_REQUEST_SHARES = (0.50, 0.20, 0.15, 0.07, 0.04, 0.04)
_PURPOSES = (
    "marketing",
    "analytics",
    "personalisation",
    "third_party_sharing",
    "research",
)
_BREACHES = 4


class _Row(NamedTuple):
    """One security incident; times in epoch microseconds."""

    title: str
    severity: str
    detected: int
    acknowledged: int
    resolved: int
    breach: bool = False
    aware: int = NULL_TIME
    notified: int = NULL_TIME


def _micros(delta: timedelta) -> int:
    return delta // timedelta(microseconds=1)


def _background(rng: np.random.Generator, period: Period) -> list[_Row]:
    """8 to 12 incidents a month, each inside its severity's targets."""
    latest = us(period.end) - 4 * DAY
    rows: list[_Row] = []

    for month in history(period):
        hi = min(us(month.end), latest)
        for _ in range(int(rng.integers(8, 13))):
            severity = str(rng.choice(list(SEVERITY_TARGETS), p=_SEVERITY_SHARES))
            respond, resolve = (_micros(t) for t in SEVERITY_TARGETS[severity])
            detected = int(between(rng, us(month.start), hi))
            acknowledged = detected + int(respond * rng.uniform(0.1, 0.9))
            left = detected + resolve - acknowledged
            resolved = acknowledged + int(left * rng.uniform(0.1, 0.9))
            title = str(rng.choice(_TITLES))
            rows.append(_Row(title, severity, detected, acknowledged, resolved))

    return rows


def _breach(rng: np.random.Generator, row: _Row) -> _Row:
    """A background breach, notified 24 to 60 hours after awareness."""
    aware = row.detected + int(between(rng, HOUR, 12 * HOUR))
    notified = aware + int(between(rng, 24 * HOUR, 60 * HOUR))

    return row._replace(breach=True, aware=aware, notified=notified)


def _planted(plan: Incident, period: Period) -> _Row:
    detected = us(day_at(period, plan.day, plan.detected))
    acknowledged = detected + _micros(plan.acknowledge_after)
    resolved = detected + _micros(plan.resolve_after)
    row = _Row(plan.title, plan.severity, detected, acknowledged, resolved)
    if plan.aware is None or plan.notified is None:
        return row

    aware, notified = day_at(period, *plan.aware), day_at(period, *plan.notified)

    return row._replace(breach=True, aware=us(aware), notified=us(notified))


def incidents(period: Period, seed: int) -> tuple[pd.DataFrame, list[int]]:
    """The ``security_incidents`` table and the ids of the planted incidents.

    The ids come as: the late breach, then the incidents past target. Only months
    before the period get background breaches, so the period's only one is planted.
    """
    rng = stream(seed, "incidents")
    rows = _background(rng, period)
    earlier = [i for i, row in enumerate(rows) if row.detected < us(period.start)]
    for i in rng.choice(earlier, _BREACHES, replace=False).tolist():
        rows[i] = _breach(rng, rows[i])

    plans = (INJECTED.late_breach, *INJECTED.past_target)
    rows += [_planted(plan, period) for plan in plans]
    table = pd.DataFrame(rows, columns=list(_Row._fields))
    order = np.argsort(table["detected"].to_numpy(), kind="stable")
    table = table.iloc[order]

    frame = pd.DataFrame(
        {
            "incident_id": np.arange(1, len(rows) + 1),
            "title": table["title"].to_numpy(),
            "severity": table["severity"].to_numpy(),
            "detected_at": timestamps(table["detected"].to_numpy()),
            "acknowledged_at": timestamps(table["acknowledged"].to_numpy()),
            "resolved_at": timestamps(table["resolved"].to_numpy()),
            "is_personal_data_breach": table["breach"].to_numpy(),
            "aware_at": timestamps(table["aware"].to_numpy()),
            "authority_notified_at": timestamps(table["notified"].to_numpy()),
        }
    )
    position = {int(row): id_ for id_, row in enumerate(order.tolist(), start=1)}

    return frame, [position[i] for i in range(len(rows) - len(plans), len(rows))]


def requests(people: People, period: Period, seed: int) -> tuple[pd.DataFrame, int]:
    """The ``data_subject_requests`` table and the id of the late request."""
    rng = stream(seed, "requests")
    end = us(period.end)
    months = history(period)
    counts = rng.integers(26, 35, len(months))
    starts = np.repeat([us(m.start) for m in months], counts)
    ends = np.repeat([us(m.end) for m in months], counts)

    day = between(rng, starts, ends) // DAY * DAY
    received = day + between(rng, np.full(day.size, 7 * HOUR), 20 * HOUR)
    extended = (rng.random(day.size) < 0.12) & (received < end - 70 * DAY)
    quick = between(rng, np.full(day.size, 3 * DAY), 20 * DAY)
    slow = between(rng, np.full(day.size, 25 * DAY), 55 * DAY)
    completed = received + np.where(extended, slow, quick)
    completed = np.where(completed < end, completed, NULL_TIME)
    delay = between(rng, np.full(day.size, 5 * DAY), 19 * DAY)
    extension = np.where(extended, received + delay, NULL_TIME)

    # The planted finding: answered nine days after the month allowed.
    late = INJECTED.late_request
    received = np.append(received, us(late.received_at(period)))
    completed = np.append(completed, us(late.completed_at(period)))
    extension = np.append(extension, NULL_TIME)

    kind = rng.choice(len(_REQUESTS), received.size, p=_REQUEST_SHARES)
    kind[-1] = _REQUESTS.index(late.request_type)
    old = np.flatnonzero(people.created < us(months[0].start))
    subject = np.where(
        rng.random(received.size) < 0.1, -1, rng.choice(old, received.size)
    )
    order = np.argsort(received, kind="stable")

    frame = pd.DataFrame(
        {
            "request_id": np.arange(1, received.size + 1),
            "subject_id": ids(subject[order]),
            "request_type": [_REQUESTS[k] for k in kind[order].tolist()],
            "received_at": timestamps(received[order]),
            "extended_at": timestamps(extension[order]),
            "completed_at": timestamps(completed[order]),
        }
    )

    return frame, int(np.flatnonzero(order == received.size - 1)[0]) + 1


def consents(people: People, seed: int) -> pd.DataFrame:
    """One to four consents per person, most given soon after joining, some withdrawn.

    Both moments fall inside the person's activity window, so a dormant account
    shows no consent activity after its last login.
    """
    rng = stream(seed, "consents")
    count = np.where(people.service, 0, rng.integers(1, 5, people.service.size))
    choice = rng.permuted(np.tile(np.arange(len(_PURPOSES)), (count.size, 1)), axis=1)
    keep = np.arange(len(_PURPOSES)) < count[:, None]
    user, purpose = np.nonzero(keep)[0], choice[keep]

    lo, hi = people.created[user], people.last_login[user]
    delay = np.minimum(rng.exponential(20 * DAY, user.size), 0.5 * (hi - lo))
    given = lo + delay.astype(np.int64)
    later = given + rng.exponential(300 * DAY, user.size).astype(np.int64)
    withdrawn = np.where((rng.random(user.size) < 0.4) & (later < hi), later, NULL_TIME)
    order = np.argsort(given, kind="stable")

    return pd.DataFrame(
        {
            "consent_id": np.arange(1, user.size + 1),
            "subject_id": user[order] + 1,
            "purpose": [_PURPOSES[p] for p in purpose[order].tolist()],
            "given_at": timestamps(given[order]),
            "withdrawn_at": timestamps(withdrawn[order]),
        }
    )
