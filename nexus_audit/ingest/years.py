"""The year of year-less syslog lines ("Dec 31 23:59:59"), across New Year and rotations.

A file (or a rotated set, read oldest first) is one stream. Each time the month jumps
back by six months or more (December to January) the year goes up by one; smaller steps
back are clock corrections, not a new year. The first line's year is given
(``--year``), or else inferred: the newest line is the most recent past date before
the reference time, and the wraps counted in the stream lead back to the first line.
A date that exists in no year chosen that way (29 February of a common year) is
reported for that line alone.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import UTC, datetime

MONTHS = {name: number for number, name in enumerate(calendar.month_abbr) if name}
_WRAP_MONTHS = 6


def wraps(previous: int | None, month: int) -> bool:
    """True when ``month`` after ``previous`` starts a new year."""
    return previous is not None and previous - month >= _WRAP_MONTHS


def first_year(
    month_days: Iterable[tuple[int, int]], year: int | None, now: datetime | None
) -> int:
    """The year of the stream's first line, given every line's (month, day) in order."""
    if year is not None:
        return year

    count, previous, last = 0, None, None
    leap_days: set[int] = set()
    for month, day in month_days:
        if wraps(previous, month):
            count += 1
        if (month, day) == (2, 29):
            leap_days.add(count)
        previous, last = month, (month, day)

    now = now or datetime.now(UTC)
    if last is None:
        return now.year

    first = (now.year if last <= (now.month, now.day) else now.year - 1) - count

    # A 29 February can only have been logged in a leap year: step back until it fits.
    for _ in range(8):
        if all(calendar.isleap(first + offset) for offset in leap_days):
            break
        first -= 1

    return first


class YearTrack:
    """Hands out each line's year in stream order, counting New Year wraps."""

    def __init__(self, first: int) -> None:
        self.year = first
        self._previous: int | None = None

    def year_of(self, month: int) -> int:
        """The year of a line in ``month``, the next line of the stream."""
        if wraps(self._previous, month):
            self.year += 1
        self._previous = month

        return self.year
