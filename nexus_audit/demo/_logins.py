"""Login attempts of one month: background, planted last logins and the attacks.

The background is drawn in bulk, then trimmed so that no account ever exceeds four
attempts or one failure in a clock hour. The detections look for more than that, so
they can only find what was planted. Every account's last login is planted exactly
at ``People.last_login`` and takes precedence over the background when trimming.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import numpy as np

from ..period import Period
from ._clock import HOUR, Bools, Ints, Month, draw, us
from ._frames import Codes, Columns, Vocabulary, concat, take
from ._identity import COUNTRIES
from ._people import People
from ._spec import INJECTED, day_at

REASONS = (
    "bad_password",
    "mfa_failed",
    "expired_password",
    "account_locked",
    "unknown_user",
)
_REASON_SHARES = (0.72, 0.15, 0.08, 0.05)
_MFA_FAILED = REASONS.index("mfa_failed")
FAILURE_RATE = 0.03
SERVICE_SHARE = 0.12
MAX_ATTEMPTS, MAX_FAILURES = 4, 1

Quiet = tuple[Ints, int, int]
"""Accounts with no background activity in ``[start, end)``."""


@dataclass(frozen=True)
class Lexicon:
    """Vocabularies shared by every month: the accounts' and the attackers'."""

    usernames: Vocabulary
    addresses: Vocabulary
    agents: Vocabulary
    countries: Vocabulary
    agent: Codes

    @classmethod
    def of(cls, people: People) -> Lexicon:
        """Vocabularies of ``people``, then every value the attacks use."""
        attacks = (INJECTED.brute_force, INJECTED.password_spray, INJECTED.takeover)
        usernames = Vocabulary(people.usernames + list(INJECTED.brute_force.usernames))
        addresses = Vocabulary(people.addresses + [a.ip for a in attacks])
        agents = Vocabulary(people.agents)
        agent = agents.codes(people.agents)
        agents.codes(a.user_agent for a in attacks)
        countries = Vocabulary(list(COUNTRIES) + [a.country for a in attacks])

        return cls(usernames, addresses, agents, countries, agent)


def capped(user: Ints, time: Ints, rank: Ints, limit: int) -> Bools:
    """Keep at most ``limit`` rows per (user, clock hour), lowest ``rank`` first."""
    hour = time // HOUR
    order = np.lexsort((time, rank, hour, user))
    u, h = user[order], hour[order]

    fresh = np.r_[True, (u[1:] != u[:-1]) | (h[1:] != h[:-1])]
    position = np.arange(order.size)
    first = np.maximum.accumulate(np.where(fresh, position, 0))

    keep = np.empty(order.size, dtype=np.bool_)
    keep[order] = position - first < limit

    return keep


def quieted(user: Ints, time: Ints, quiet: list[Quiet]) -> Bools:
    """Rows falling in one of the quiet windows of their account."""
    hit = np.zeros(user.size, dtype=np.bool_)
    for users, start, end in quiet:
        hit |= np.isin(user, users) & (time >= start) & (time < end)

    return hit


def quiet_windows(people: People, period: Period) -> list[Quiet]:
    """Keep the planted attacks alone in their hours on their targets."""
    takeover, spray = INJECTED.takeover, INJECTED.password_spray
    spray_hour = day_at(period, spray.day, spray.start.replace(minute=0))

    return [
        (
            np.array([people.cast.takeover]),
            us(day_at(period, takeover.day, takeover.quiet_from)),
            us(day_at(period, takeover.day, takeover.quiet_until)),
        ),
        (people.cast.spray, us(spray_hour), us(spray_hour) + HOUR),
    ]


def _attempts(
    rng: np.random.Generator,
    people: People,
    lex: Lexicon,
    user: Ints,
    time: Ints,
    planted: Bools,
) -> Columns:
    """Columns of attempts by accounts from their home; planted ones succeed."""
    success = planted | (rng.random(user.size) >= FAILURE_RATE)
    reason = rng.choice(len(_REASON_SHARES), user.size, p=_REASON_SHARES)
    reason = np.where(people.mfa[user] | (reason != _MFA_FAILED), reason, 0)
    reason = np.where(success, -1, reason)

    return {
        "user": user,
        "time": time,
        "success": success,
        "reason": reason,
        "mfa": np.where(success, people.mfa[user], reason == _MFA_FAILED),
        "address": people.address[user, rng.integers(0, 2, user.size)],
        "name": user,  # the vocabulary starts with the usernames, in user order
        "agent": lex.agent[user],
        "country": people.country[user],
        "rank": np.where(planted, 0, 1),
    }


def background(
    rng: np.random.Generator,
    people: People,
    lex: Lexicon,
    month: Month,
    count: int,
    quiet: list[Quiet],
) -> Columns:
    """About ``count`` attempts in ``month``, last logins included, then trimmed."""
    lo, hi = people.created, people.last_login
    last = np.flatnonzero((hi >= month.start) & (hi < month.end))
    wanted = max(count - last.size, 0)
    services = int(wanted * SERVICE_SHARE)

    staff = draw(rng, month, wanted - services, people.weight * ~people.service, lo, hi)
    machine = people.weight * people.service
    bots = draw(rng, month, services, machine, lo, hi, office=False)

    user = np.concatenate([last, staff[0], bots[0]])
    time = np.concatenate([hi[last], staff[1], bots[1]])
    planted = np.arange(user.size) < last.size
    rows = _attempts(rng, people, lex, user, time, planted)
    rows = take(rows, planted | ~quieted(user, time, quiet))

    failed = np.flatnonzero(~rows["success"])
    keep = np.ones(rows["user"].size, dtype=np.bool_)
    keep[failed] = capped(
        rows["user"][failed], rows["time"][failed], rows["rank"][failed], MAX_FAILURES
    )
    rows = take(rows, keep)

    return take(rows, capped(rows["user"], rows["time"], rows["rank"], MAX_ATTEMPTS))


class _Attacker(Protocol):
    """What every planted attack states about its source."""

    @property
    def ip(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def user_agent(self) -> str: ...
    @property
    def failure_reason(self) -> str: ...


def _attack(
    lex: Lexicon,
    source: _Attacker,
    times: list[datetime],
    user: Ints,
    name: Codes | None = None,
    success: Bools | None = None,
) -> Columns:
    """Attempts from an attacker's address, on ``user``'s name unless ``name``.

    They fail unless ``success`` says otherwise, and never show a second factor.
    """
    count = len(times)
    success = np.zeros(count, dtype=np.bool_) if success is None else success
    reason = REASONS.index(source.failure_reason)

    return {
        "user": user,
        "time": np.array([us(t) for t in times], dtype=np.int64),
        "success": success,
        "reason": np.where(success, -1, reason),
        "mfa": np.zeros(count, dtype=np.bool_),
        "address": np.full(count, lex.addresses.code(source.ip)),
        "name": user if name is None else name,
        "agent": np.full(count, lex.agents.code(source.user_agent)),
        "country": np.full(count, lex.countries.code(source.country)),
        "rank": np.zeros(count, dtype=np.int64),
    }


def attacks(people: People, lex: Lexicon, period: Period) -> Columns:
    """The planted brute force, password spray and account takeover."""
    brute, spray = INJECTED.brute_force, INJECTED.password_spray
    takeover = INJECTED.takeover

    times = brute.times(period)
    guesses = np.resize(lex.usernames.codes(brute.usernames), len(times))
    nobody = np.full(len(times), -1)
    rows = [_attack(lex, brute, times, nobody, name=guesses)]

    rows.append(_attack(lex, spray, spray.times(period), people.cast.spray))

    times = takeover.failure_times(period) + [takeover.success_time(period)]
    target = np.full(len(times), people.cast.takeover)
    success = np.arange(len(times)) == len(times) - 1
    rows.append(_attack(lex, takeover, times, target, success=success))

    return concat(rows)
