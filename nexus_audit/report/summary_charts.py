"""Charts of the executive summary: findings by severity and each framework's score trend.

Geometry only, as in :mod:`charts`; ``_severity_chart.html`` and ``_trend_chart.html``
draw it. The trend needs scores of earlier periods, which the result carries only when
a history of past audits was kept; without it the chart is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..results import AuditResult, ControlResult, ScorePoint, Status
from .charts import PALETTE, Tick, nice_ceiling

SEVERITIES = ("critical", "high", "medium", "low")
SEVERITY_COLOURS = {
    "critical": "#7f1d1d",
    "high": "#c2410c",
    "medium": "#b7791f",
    "low": "#4a6fa5",
}
MONTHS = 12


@dataclass(frozen=True, slots=True)
class SeverityBar:
    severity: str
    y: float
    width: float
    colour: str
    findings: int
    controls: int


@dataclass(frozen=True, slots=True)
class SeverityChart:
    """Findings of failing controls per severity, as horizontal bars."""

    bars: tuple[SeverityBar, ...]
    total: int
    width: float = 640.0
    height: float = 24.0 + 26.0 * len(SEVERITIES)
    left: float = 110.0
    right: float = 540.0


def _findings(controls: list[ControlResult], severity: str) -> tuple[int, int]:
    chosen = [c for c in controls if c.severity.lower() == severity]
    return sum(c.finding_count or 0 for c in chosen), len(chosen)


def severity_chart(result: AuditResult) -> SeverityChart:
    """One bar per severity, zero included, so a quiet month still shows the scale."""
    failing = [c for c in result.controls if c.status is Status.FAIL]
    counts = {s: _findings(failing, s) for s in SEVERITIES}
    scale = nice_ceiling(max((f for f, _ in counts.values()), default=0))
    chart = SeverityChart((), 0)
    span = chart.right - chart.left

    bars = tuple(
        SeverityBar(
            severity=severity,
            y=12.0 + 26.0 * index,
            width=round(span * findings / scale, 2),
            colour=SEVERITY_COLOURS[severity],
            findings=findings,
            controls=controls,
        )
        for index, (severity, (findings, controls)) in enumerate(counts.items())
    )

    return SeverityChart(bars, sum(f for f, _ in counts.values()))


@dataclass(frozen=True, slots=True)
class TrendLine:
    label: str
    colour: str
    points: tuple[tuple[float, float, str, float], ...]  # x, y, period, score

    @property
    def path(self) -> str:
        """SVG polyline points."""
        return " ".join(f"{x},{y}" for x, y, _, _ in self.points)


@dataclass(frozen=True, slots=True)
class TrendChart:
    """Each framework's score per period, oldest first, at most twelve periods."""

    periods: tuple[tuple[float, str], ...]
    lines: tuple[TrendLine, ...]
    ticks: tuple[Tick, ...]
    width: float = 640.0
    height: float = 200.0
    left: float = 46.0
    right: float = 632.0
    top: float = 12.0
    bottom: float = 160.0


def _y(score: float, chart: TrendChart) -> float:
    return round(chart.bottom - (chart.bottom - chart.top) * score / 100.0, 2)


def trend_chart(result: AuditResult) -> TrendChart | None:
    """The trend over the last twelve periods the history holds, or None without one."""
    history: tuple[ScorePoint, ...] = result.score_history
    periods = sorted({point.period for point in history})[-MONTHS:]
    if not periods:
        return None

    frame = TrendChart((), (), ())
    step = (frame.right - frame.left) / len(periods)
    xs = {p: round(frame.left + step * (i + 0.5), 2) for i, p in enumerate(periods)}
    labels = {f.framework: f"{f.name} {f.version}" for f in result.frameworks}
    names = sorted({point.framework for point in history})
    lines = []

    for index, name in enumerate(names):
        points = tuple(
            (xs[p.period], _y(p.score, frame), p.period, p.score)
            for p in sorted(history, key=lambda p: p.period)
            if p.framework == name and p.period in xs and p.score is not None
        )
        colour = PALETTE[index % len(PALETTE)]
        lines.append(TrendLine(labels.get(name, name), colour, points))

    ticks = tuple(Tick(_y(v, frame), f"{v} %") for v in (0, 50, 100))
    return TrendChart(tuple((xs[p], p) for p in periods), tuple(lines), ticks)
