"""Reporting periods: calendar months as half-open UTC intervals."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from .errors import ConfigError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    """A half-open interval ``[start, end)`` in UTC.

    Half-open bounds keep the last day of a month whole and let consecutive months add
    up to a year with nothing counted twice.
    """

    start: datetime
    end: datetime

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

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """The calendar month ``year-month`` in UTC."""
        if not 1 <= month <= 12:
            raise ConfigError(f"month must be between 1 and 12, got {month!r}")

        start = datetime(year, month, 1, tzinfo=UTC)
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)

        return cls(start, datetime(next_year, next_month, 1, tzinfo=UTC))

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``YYYY-MM``, as given on the command line or in settings."""
        match = _MONTH.match(text.strip())
        if match is None or not 1 <= int(match.group(2)) <= 12:
            raise ConfigError(
                f"a month is written YYYY-MM, for example 2026-11; got {text!r}"
            )

        return cls.month(int(match.group(1)), int(match.group(2)))

    @classmethod
    def last_complete_month(cls, now: datetime | None = None) -> Period:
        """The most recent calendar month that has fully ended at ``now`` (UTC)."""
        now = now or datetime.now(UTC)
        year, month = now.year, now.month - 1

        if month == 0:
            year, month = year - 1, 12

        return cls.month(year, month)

    @property
    def label(self) -> str:
        """``YYYY-MM`` for a calendar month, else the two bounds."""
        if self == Period.month(self.start.year, self.start.month):
            return f"{self.start:%Y-%m}"
        return f"{self.start:%Y-%m-%d %H:%M} to {self.end:%Y-%m-%d %H:%M} UTC"

    @property
    def days(self) -> list[date]:
        """Every UTC calendar day the period touches."""
        first = self.start.date()
        count = (self.end - self.start).days + (
            1 if self.end.time() != datetime.min.time() else 0
        )
        return [date.fromordinal(first.toordinal() + i) for i in range(count)]

    def previous(self) -> Period:
        """The calendar month before this one."""
        return Period.last_complete_month(self.start)
