"""Moments of the demo's history named by month offset: "month -4, day 3 at 09:00".

Offset 0 is the reported month, -1 the month before, and so on back to -15, two years
of records for the registers whose entries reach back further than the event history.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from ..period import Period
from ._clock import DAY, HOUR, Ints, us


def month_start(period: Period, offset: int) -> Period:
    """The calendar month ``offset`` months from the reported one (offset <= 0)."""
    month = period
    for _ in range(-offset):
        month = month.previous()

    return month


def moment(period: Period, offset: int, day: int = 1, hour: float = 9.0) -> int:
    """Epoch microseconds of day ``day`` (1-based) of month ``offset`` at ``hour``."""
    start = month_start(period, offset).start + timedelta(days=day - 1)

    return us(start) + int(hour * HOUR)


def days(period: Period, first: int) -> Ints:
    """Midnight of every day from month ``first`` up to the end of the period."""
    start, end = moment(period, first, 1, 0.0), us(period.end)

    return np.arange(start, end, DAY, dtype=np.int64)
