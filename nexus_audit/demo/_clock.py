"""Time for the generator: integer microseconds, months, a daily rhythm, streams.

Everything is computed in integer microseconds since the Unix epoch (UTC), which both
DuckDB and PostgreSQL store exactly, so a build is the same whichever database holds it.

Activity is drawn hour by hour: each hour of a month has a weight (weekday office hours
high, nights and weekends low), and an actor can only act inside their own window
``[lo, hi)`` (from account creation to their last login). Rounding that window inward
to whole hours keeps every drawn time strictly inside it.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

from ..period import Period

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

SECOND = 1_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
NULL_TIME = np.iinfo(np.int64).min
"""Stands for a missing timestamp; it is NaT when viewed as ``datetime64``."""

HISTORY_MONTHS = 13

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# Share of peak activity per UTC hour: the staff work in Europe, UTC+0 to UTC+2.
OFFICE_HOURS = np.array(
    [
        0.03,
        0.02,
        0.02,
        0.02,
        0.03,
        0.08,
        0.25,
        0.60,
        0.90,
        1.00,
        1.00,
        0.95,
        0.80,
        0.90,
        1.00,
        1.00,
        0.90,
        0.70,
        0.45,
        0.30,
        0.20,
        0.12,
        0.07,
        0.04,
    ]
)
_WEEKEND = 0.2


def office_clock(rng: np.random.Generator, count: int) -> Ints:
    """Times of day (µs after midnight) that follow the office rhythm."""
    hour = rng.choice(24, count, p=OFFICE_HOURS / OFFICE_HOURS.sum())

    return (hour * HOUR + rng.integers(0, HOUR, count)).astype(np.int64)


def us(moment: datetime) -> int:
    """Microseconds since the epoch, exactly."""
    return (moment - _EPOCH) // timedelta(microseconds=1)


def history(period: Period) -> list[Period]:
    """The 13 months that end with ``period``, oldest first."""
    months = [period]
    while len(months) < HISTORY_MONTHS:
        months.insert(0, months[0].previous())

    return months


def stream(seed: int, name: str, *keys: int) -> np.random.Generator:
    """An independent generator per concern, so sizes elsewhere cannot shift it.

    The grants, for example, come out the same whatever ``events`` is.
    """
    entropy = [seed, zlib.crc32(name.encode()), *keys]

    return np.random.default_rng(np.random.SeedSequence(entropy))


def between(rng: np.random.Generator, lo: Ints | int, hi: Ints | int) -> Ints:
    """Uniform integer microseconds in ``[lo, hi)``, elementwise."""
    lo_a, hi_a = np.broadcast_arrays(np.asarray(lo), np.asarray(hi))
    drawn: Ints = lo_a + rng.integers(0, np.maximum(hi_a - lo_a, 1))

    return drawn


@dataclass(frozen=True)
class Month:
    """One month of the history with the cumulative weight of its hours."""

    period: Period
    start: int
    end: int
    office: Floats
    flat: Floats

    @property
    def hours(self) -> int:
        """How many whole hours the month has."""
        return (self.end - self.start) // HOUR


def month(period: Period) -> Month:
    """Precompute the hour weights of ``period``: office rhythm and round the clock."""
    start, end = us(period.start), us(period.end)
    hour = np.arange((end - start) // HOUR)

    weekday = (period.start.weekday() + hour // 24) % 7
    weight = OFFICE_HOURS[hour % 24] * np.where(weekday >= 5, _WEEKEND, 1.0)

    office = np.concatenate([[0.0], np.cumsum(weight)])
    flat = np.arange(hour.size + 1, dtype=np.float64)

    return Month(period, start, end, office, flat)


def draw(
    rng: np.random.Generator,
    month: Month,
    count: int,
    weights: Floats,
    lo: Ints,
    hi: Ints,
    office: bool = True,
) -> tuple[Ints, Ints]:
    """Draw ``count`` (actor, time) pairs inside the actors' windows.

    An actor is chosen in proportion to their weight times the rhythm mass of their
    window in this month, then an hour from that mass, then a microsecond in it.
    """
    cum = month.office if office else month.flat
    first = np.clip(-((month.start - lo) // HOUR), 0, month.hours)
    last = np.clip((hi - month.start) // HOUR, 0, month.hours)

    mass = np.where(last > first, cum[last] - cum[np.minimum(first, last)], 0.0)
    chance = weights * mass
    if count <= 0 or chance.sum() <= 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)

    actor = rng.choice(weights.size, size=count, p=chance / chance.sum())
    spot = cum[first[actor]] + rng.random(count) * mass[actor]
    hour = np.searchsorted(cum, spot, side="right") - 1
    hour = np.clip(hour, first[actor], last[actor] - 1)

    moment = month.start + hour * HOUR + rng.integers(0, HOUR, count)

    return actor.astype(np.int64), moment.astype(np.int64)
