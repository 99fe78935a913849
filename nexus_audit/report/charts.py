"""Daily bar charts as geometry; ``_bar_chart.html`` draws them as inline SVG.

Computing coordinates here keeps markup in the templates, and the same vector drawing
appears in the HTML file and the PDF, with no script, image file or network access.
Bars may be stacked: events per day are split by event type, the largest types first.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pandas as pd

from ..results import AuditResult, PeriodInfo
from .filters import is_missing

WIDTH, HEIGHT = 640.0, 200.0
LEFT, RIGHT, TOP, BOTTOM = 46.0, 632.0, 12.0, 160.0
# Okabe-Ito: told apart by readers with any common colour-vision deficiency.
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00")
OTHER_COLOUR = "#999999"
MAX_SERIES = len(PALETTE)


@dataclass(frozen=True, slots=True)
class Segment:
    """One series' share of one day's bar."""

    y: float
    height: float
    colour: str
    label: str
    value: float


@dataclass(frozen=True, slots=True)
class Bar:
    """One day: its stacked segments, where its label goes, and its total."""

    x: float
    width: float
    centre: float
    day: str
    value: float
    tick: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True, slots=True)
class LegendItem:
    x: float
    colour: str
    label: str


@dataclass(frozen=True, slots=True)
class BarChart:
    """One chart: bars per day, a y scale, a legend and a sentence that says the same."""

    query: str
    title: str
    unit: str
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    legend: tuple[LegendItem, ...]
    total: float
    peak: float
    peak_day: str
    width: float = WIDTH
    height: float = HEIGHT
    left: float = LEFT
    right: float = RIGHT
    top: float = TOP
    bottom: float = BOTTOM


def as_day(value: object) -> date | None:
    """A UTC calendar day from a date, a timestamp or ISO text."""
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


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten that is at least ``value``."""
    if value <= 1:
        return 1.0

    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return float(step * power)

    return float(10 * power)


def _totals(
    frame: pd.DataFrame, column: str, series: str | None
) -> dict[str, dict[date, float]]:
    """Value per series and day; a single series is named after the chart's unit."""
    totals: dict[str, dict[date, float]] = defaultdict(lambda: defaultdict(float))
    values = pd.to_numeric(frame[column], errors="coerce")
    names = frame[series] if series else [""] * len(frame)

    for raw_day, name, value in zip(frame["day"], names, values, strict=True):
        day = as_day(raw_day)
        if day is not None and not is_missing(value):
            totals["" if is_missing(name) else str(name)][day] += float(value)

    return totals


def _top_series(
    totals: dict[str, dict[date, float]],
) -> list[tuple[str, dict[date, float]]]:
    """The largest series by total, then the rest merged as "other"."""
    ranked = sorted(totals.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    if len(ranked) <= MAX_SERIES:
        return ranked

    other: dict[date, float] = defaultdict(float)
    for _, days in ranked[MAX_SERIES - 1 :]:
        for day, value in days.items():
            other[day] += value

    return [*ranked[: MAX_SERIES - 1], ("other", other)]


def _colour(index: int, name: str) -> str:
    return OTHER_COLOUR if name == "other" else PALETTE[index % len(PALETTE)]


def _bar(
    index: int,
    day: date,
    series: list[tuple[str, dict[date, float]]],
    slot: float,
    scale: float,
    every: int,
) -> Bar:
    x = LEFT + index * slot + slot * 0.15
    base = BOTTOM
    segments = []

    for number, (name, days) in enumerate(series):
        value = days.get(day, 0.0)
        height = (BOTTOM - TOP) * value / scale
        base -= height
        colour = _colour(number, name)
        segments.append(Segment(round(base, 2), round(height, 2), colour, name, value))

    return Bar(
        x=round(x, 2),
        width=round(slot * 0.7, 2),
        centre=round(x + slot * 0.35, 2),
        day=day.isoformat(),
        value=sum(s.value for s in segments),
        tick=str(day.day) if index % every == 0 else "",
        segments=tuple(s for s in segments if s.value),
    )


def _legend(series: list[tuple[str, dict[date, float]]]) -> tuple[LegendItem, ...]:
    if len(series) < 2:
        return ()

    step = (RIGHT - LEFT) / len(series)
    return tuple(
        LegendItem(round(LEFT + i * step, 2), _colour(i, name), name)
        for i, (name, _) in enumerate(series)
    )


def daily_chart(
    frame: pd.DataFrame,
    period: PeriodInfo,
    spec: tuple[str, str, str, str, str | None],
) -> BarChart | None:
    """A chart of one value per day (stacked by ``series``), or None without data."""
    query, column, title, unit, series_column = spec
    wanted = {"day", column} | ({series_column} if series_column else set())
    if frame.empty or not wanted <= set(frame.columns):
        return None

    series = _top_series(_totals(frame, column, series_column))
    per_day: dict[date, float] = defaultdict(float)
    for _, days in series:
        for day, value in days.items():
            per_day[day] += value

    shown = sorted(set(_period_days(period)) | set(per_day))
    peak_day = max(shown, key=lambda d: (per_day.get(d, 0.0), -d.toordinal()))
    scale = nice_ceiling(per_day.get(peak_day, 0.0))
    slot = (RIGHT - LEFT) / len(shown)
    every = max(1, math.ceil(len(shown) / 31))

    return BarChart(
        query=query,
        title=title,
        unit=unit,
        bars=tuple(_bar(i, d, series, slot, scale, every) for i, d in enumerate(shown)),
        ticks=scale_ticks(scale),
        legend=_legend(series),
        total=sum(per_day.values()),
        peak=per_day.get(peak_day, 0.0),
        peak_day=peak_day.isoformat(),
    )


def scale_ticks(scale: float) -> tuple[Tick, ...]:
    """Gridlines at zero, half and the top of the scale, where they are whole."""
    return tuple(
        Tick(
            y=round(BOTTOM - (BOTTOM - TOP) * share, 2), label=f"{int(scale * share):,}"
        )
        for share in (0.0, 0.5, 1.0)
        if (scale * share).is_integer()
    )


# (evidence query, value column, title, unit, column that splits the bars)
DAILY_CHARTS: tuple[tuple[str, str, str, str, str | None], ...] = (
    ("daily_audit_summary", "events", "Audit-log events per day, by type", "events",
     "event_type"),
    ("failed_logins_per_day", "failed_attempts", "Failed logins per day", "attempts",
     None),
)  # fmt: skip


def audit_charts(result: AuditResult) -> list[BarChart]:
    """The audit-log charts whose evidence is present and has rows."""
    charts = []
    for spec in DAILY_CHARTS:
        chart = daily_chart(result.frame(spec[0]), result.period, spec)
        if chart is not None:
            charts.append(chart)

    return charts
