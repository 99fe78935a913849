"""Daily bar charts as geometry; ``_bar_chart.html`` draws them as inline SVG.

Computing coordinates here keeps markup in the templates, and the same vector
drawing appears in the HTML file and the PDF.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pandas as pd

from ..results import AuditResult, PeriodInfo
from .filters import is_missing

WIDTH, HEIGHT = 640.0, 190.0
LEFT, RIGHT, TOP, BOTTOM = 46.0, 632.0, 12.0, 160.0

# (evidence query, value column, title, unit)
DAILY_CHARTS = (
    ("daily_audit_summary", "events", "Audit-log events per day", "events"),
    ("failed_logins_per_day", "failed_attempts", "Failed logins per day", "attempts"),
)


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    centre: float
    day: str
    value: float
    tick: str


@dataclass(frozen=True, slots=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True, slots=True)
class BarChart:
    """One chart: bars per day, a y scale and a sentence that says the same."""

    query: str
    title: str
    unit: str
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    total: float
    peak: float
    peak_day: str
    width: float = WIDTH
    height: float = HEIGHT
    left: float = LEFT
    right: float = RIGHT
    top: float = TOP
    bottom: float = BOTTOM


def _as_day(value: object) -> date | None:
    if is_missing(value):
        return None

    if isinstance(value, datetime):
        return value.astimezone(UTC).date() if value.tzinfo else value.date()

    if isinstance(value, date):
        return value

    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _period_days(period: PeriodInfo) -> list[date]:
    """Every UTC day touched by the half-open period, so empty days show as zero."""
    first = period.start.astimezone(UTC).date()
    last = (period.end.astimezone(UTC) - timedelta(microseconds=1)).date()

    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten that is at least ``value``."""
    if value <= 1:
        return 1.0

    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return float(step * power)

    return float(10 * power)


def _totals(frame: pd.DataFrame, column: str) -> dict[date, float]:
    totals: dict[date, float] = defaultdict(float)
    values = pd.to_numeric(frame[column], errors="coerce")

    for raw_day, value in zip(frame["day"], values, strict=True):
        day = _as_day(raw_day)
        if day is not None and not is_missing(value):
            totals[day] += float(value)

    return totals


def _bars(totals: dict[date, float], days: list[date], scale: float) -> tuple[Bar, ...]:
    slot = (RIGHT - LEFT) / len(days)
    every = max(1, math.ceil(len(days) / 31))
    bars = []

    for i, day in enumerate(days):
        value = totals.get(day, 0.0)
        height = (BOTTOM - TOP) * value / scale
        x = LEFT + i * slot + slot * 0.15
        bars.append(
            Bar(
                x=round(x, 2),
                y=round(BOTTOM - height, 2),
                width=round(slot * 0.7, 2),
                height=round(height, 2),
                centre=round(x + slot * 0.35, 2),
                day=day.isoformat(),
                value=value,
                tick=str(day.day) if i % every == 0 else "",
            )
        )

    return tuple(bars)


def daily_chart(
    frame: pd.DataFrame, period: PeriodInfo, spec: tuple[str, str, str, str]
) -> BarChart | None:
    """A chart of one value per day, or None when the frame cannot carry one."""
    query, column, title, unit = spec
    if frame.empty or not {"day", column} <= set(frame.columns):
        return None

    totals = _totals(frame, column)
    days = sorted(set(_period_days(period)) | set(totals))
    peak_day = max(days, key=lambda d: (totals.get(d, 0.0), -d.toordinal()))
    peak = totals.get(peak_day, 0.0)
    scale = _nice_ceiling(peak)

    ticks = tuple(
        Tick(y=round(BOTTOM - (BOTTOM - TOP) * share, 2), label=str(int(scale * share)))
        for share in (0.0, 0.5, 1.0)
        if (scale * share).is_integer()
    )

    return BarChart(
        query=query,
        title=title,
        unit=unit,
        bars=_bars(totals, days, scale),
        ticks=ticks,
        total=sum(totals.values()),
        peak=peak,
        peak_day=peak_day.isoformat(),
    )


def audit_charts(result: AuditResult) -> list[BarChart]:
    """The audit-log charts whose evidence is present and has rows."""
    charts = []
    for spec in DAILY_CHARTS:
        chart = daily_chart(result.frame(spec[0]), result.period, spec)
        if chart is not None:
            charts.append(chart)

    return charts
