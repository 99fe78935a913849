"""Reporting periods: calendar months in a time zone, as half-open UTC intervals."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name``; errors name the setting."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(
            f"setting 'time_zone': {name!r} is not an IANA time zone such as "
            "'UTC' or 'Europe/Berlin'"
        ) from error


@dataclass(frozen=True)
class Period:
    """A half-open interval ``[start, end)`` held in UTC, with the zone it was cut in.

    Half-open bounds keep the last day of a month whole and let consecutive months add
    up to a year with nothing counted twice. A month cut in Europe/Berlin starts at local
    midnight, so its UTC bounds move with daylight saving time; days are local days.
    """

    start: datetime
    end: datetime
    time_zone: str = "UTC"

    def __post_init__(self) -> None:
        for bound in (self.start, self.end):
            if bound.tzinfo is None or bound.utcoffset() != UTC.utcoffset(None):
                raise ConfigError(
                    f"period bounds must be UTC-aware datetimes, got {bound!r}"
                )
        if self.end <= self.start:
            raise ConfigError(
                f"period end {self.end} is not after its start {self.start}"
            )
        zone(self.time_zone)

    @classmethod
    def month(cls, year: int, month: int, time_zone: str = "UTC") -> Period:
        """The calendar month ``year-month`` in ``time_zone``."""
        if not 1 <= month <= 12:
            raise ConfigError(f"month must be between 1 and 12, got {month!r}")

        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        local = zone(time_zone)
        start = datetime(year, month, 1, tzinfo=local).astimezone(UTC)
        end = datetime(next_year, next_month, 1, tzinfo=local).astimezone(UTC)

        return cls(start, end, time_zone)

    @classmethod
    def parse(cls, text: str, time_zone: str = "UTC") -> Period:
        """Parse ``YYYY-MM``, as given on the command line or in settings."""
        match = _MONTH.match(text.strip())
        if match is None or not 1 <= int(match.group(2)) <= 12:
            raise ConfigError(
                f"a month is written YYYY-MM, for example 2026-11; got {text!r}"
            )

        return cls.month(int(match.group(1)), int(match.group(2)), time_zone)

    @classmethod
    def days_between(cls, first: date, last: date, time_zone: str = "UTC") -> Period:
        """Whole local days ``first`` to ``last``, both included (``--from`` / ``--to``)."""
        if last < first:
            raise ConfigError(f"--to {last} is before --from {first}")

        local = zone(time_zone)
        start = datetime(first.year, first.month, first.day, tzinfo=local)
        after = last + timedelta(days=1)
        end = datetime(after.year, after.month, after.day, tzinfo=local)

        return cls(start.astimezone(UTC), end.astimezone(UTC), time_zone)

    @classmethod
    def last_complete_month(
        cls, now: datetime | None = None, time_zone: str = "UTC"
    ) -> Period:
        """The most recent calendar month that has fully ended at ``now``, locally."""
        local = (now or datetime.now(UTC)).astimezone(zone(time_zone))
        year, month = local.year, local.month - 1

        if month == 0:
            year, month = year - 1, 12

        return cls.month(year, month, time_zone)

    @property
    def local_start(self) -> datetime:
        """The start in the period's own time zone."""
        return self.start.astimezone(zone(self.time_zone))

    @property
    def label(self) -> str:
        """``YYYY-MM`` for a calendar month, else the two bounds."""
        first = self.local_start
        if self == Period.month(first.year, first.month, self.time_zone):
            return f"{first:%Y-%m}"

        end = self.end.astimezone(zone(self.time_zone))
        return f"{first:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} {self.time_zone}"

    @property
    def days(self) -> list[date]:
        """Every local calendar day the period touches."""
        first = self.local_start.date()
        last = (self.end - timedelta(microseconds=1)).astimezone(zone(self.time_zone))
        count = last.date().toordinal() - first.toordinal() + 1
        return [date.fromordinal(first.toordinal() + i) for i in range(count)]

    def previous(self) -> Period:
        """The calendar month before this one, in the same zone."""
        return Period.last_complete_month(self.start, self.time_zone)
