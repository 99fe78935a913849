"""The incidents planted in every demo database, stated once.

The generator takes every injected time, address and count from :data:`INJECTED`, and
the tests and the README quote the same values, so the three cannot drift apart.
``D(n)`` below means the period start plus ``n`` days; every clock time is UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from ..period import Period


def day_at(period: Period, day: int, clock: time) -> datetime:
    """``D(day)`` at ``clock``: the period start plus ``day`` days, in UTC."""
    midnight = period.start + timedelta(days=day)

    return midnight.replace(hour=clock.hour, minute=clock.minute, second=clock.second)


def _series(first: datetime, every: timedelta, count: int) -> list[datetime]:
    return [first + every * i for i in range(count)]


@dataclass(frozen=True)
class BruteForce:
    """Failed logins on names that are not accounts, from one address."""

    ip: str = "203.0.113.66"
    country: str = "US"
    user_agent: str = "python-requests/2.31.0"
    day: int = 9
    start: time = time(2, 10)
    every: timedelta = timedelta(seconds=5)
    attempts: int = 240
    failure_reason: str = "unknown_user"
    usernames: tuple[str, ...] = (
        "admin",
        "root",
        "administrator",
        "test",
        "oracle",
        "postgres",
        "guest",
        "user",
        "support",
        "backup",
        "ftp",
        "operator",
    )

    def times(self, period: Period) -> list[datetime]:
        """When each attempt is made."""
        return _series(day_at(period, self.day, self.start), self.every, self.attempts)


@dataclass(frozen=True)
class PasswordSpray:
    """One failed password per account, many accounts, one address."""

    ip: str = "198.51.100.23"
    country: str = "SG"
    user_agent: str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0"
    day: int = 14
    start: time = time(23, 40)
    every: timedelta = timedelta(seconds=20)
    users: int = 60
    failure_reason: str = "bad_password"

    def times(self, period: Period) -> list[datetime]:
        """When each account is tried."""
        return _series(day_at(period, self.day, self.start), self.every, self.users)


@dataclass(frozen=True)
class AccountTakeover:
    """Failures then a success without MFA on one account, from abroad."""

    ip: str = "192.0.2.77"
    country: str = "RU"
    user_agent: str = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Firefox/121.0"
    home_country: str = "GB"
    day: int = 20
    start: time = time(3, 0)
    every: timedelta = timedelta(minutes=2)
    failures: int = 14
    success: time = time(3, 30)
    failure_reason: str = "bad_password"
    quiet_from: time = time(0, 0)
    quiet_until: time = time(6, 0)

    def failure_times(self, period: Period) -> list[datetime]:
        """When each failed attempt is made."""
        return _series(day_at(period, self.day, self.start), self.every, self.failures)

    def success_time(self, period: Period) -> datetime:
        """When the attacker gets in."""
        return day_at(period, self.day, self.success)


@dataclass(frozen=True)
class Dormancy:
    """Enabled accounts nobody has used for months (PCI DSS 8.2.6: 90 days)."""

    active_users: int = 7
    disabled_users: int = 2
    min_idle_days: int = 100
    max_idle_days: int = 300
    threshold_days: int = 90


@dataclass(frozen=True)
class Privileges:
    """Privileged access without MFA (PCI DSS 8.4.1) and a self-approved grant."""

    without_mfa: int = 3
    revoked_without_mfa: int = 1
    revoked_day: int = 6
    self_approved: int = 1
    self_approved_day: int = 12
    self_approved_at: time = time(16, 45)
    self_approved_role: str = "platform-admin"


@dataclass(frozen=True)
class LateRequest:
    """A data-subject request answered after the month GDPR Art. 12(3) allows."""

    request_type: str = "access"
    received_day: int = 2
    received: time = time(10, 0)
    completed_day: int = 11
    completed: time = time(16, 0)

    def received_at(self, period: Period) -> datetime:
        """Two days into the month before the period, at 10:00."""
        return day_at(period.previous(), self.received_day, self.received)

    def completed_at(self, period: Period) -> datetime:
        """``D(11)`` at 16:00."""
        return day_at(period, self.completed_day, self.completed)


@dataclass(frozen=True)
class Incident:
    """A planted security incident; breach times are ``(day, clock)`` pairs."""

    title: str
    severity: str
    day: int
    detected: time
    acknowledge_after: timedelta
    resolve_after: timedelta
    aware: tuple[int, time] | None = None
    notified: tuple[int, time] | None = None


LATE_BREACH = Incident(
    title="Customer export left on a public share",
    severity="SEV-2",
    day=9,
    detected=time(8, 0),
    acknowledge_after=timedelta(minutes=20),
    resolve_after=timedelta(hours=7),
    aware=(10, time(9, 0)),
    notified=(14, time(9, 0)),
)

PAST_TARGET = (
    Incident(
        title="Settlement API returning errors",
        severity="SEV-2",
        day=5,
        detected=time(14, 0),
        acknowledge_after=timedelta(minutes=50),
        resolve_after=timedelta(hours=6),
    ),
    Incident(
        title="Certificate expiry on reporting host",
        severity="SEV-3",
        day=17,
        detected=time(9, 0),
        acknowledge_after=timedelta(hours=1),
        resolve_after=timedelta(hours=30),
    ),
)

SEVERITY_TARGETS: dict[str, tuple[timedelta, timedelta]] = {
    "SEV-1": (timedelta(minutes=15), timedelta(hours=4)),
    "SEV-2": (timedelta(minutes=30), timedelta(hours=8)),
    "SEV-3": (timedelta(hours=2), timedelta(hours=24)),
    "SEV-4": (timedelta(hours=4), timedelta(hours=72)),
}
"""Respond-by and resolve-by targets per severity, counted from detection."""


@dataclass(frozen=True)
class Injected:
    """Every planted incident; the values are exact at any seed and size."""

    brute_force: BruteForce = BruteForce()
    password_spray: PasswordSpray = PasswordSpray()
    takeover: AccountTakeover = AccountTakeover()
    dormancy: Dormancy = Dormancy()
    privileges: Privileges = Privileges()
    late_request: LateRequest = LateRequest()
    late_breach: Incident = LATE_BREACH
    past_target: tuple[Incident, ...] = PAST_TARGET


INJECTED = Injected()
"""The planted incidents of every demo database."""


@dataclass(frozen=True)
class InjectedFacts:
    """Which rows carry the planted incidents in one build (they depend on the seed)."""

    takeover_user_id: int
    spray_user_ids: tuple[int, ...]
    dormant_user_ids: tuple[int, ...]
    dormant_disabled_user_ids: tuple[int, ...]
    without_mfa_user_ids: tuple[int, ...]
    revoked_without_mfa_user_id: int
    self_approved_grant_id: int
    late_request_id: int
    late_breach_incident_id: int
    past_target_incident_ids: tuple[int, ...]
