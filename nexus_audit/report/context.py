"""Everything the templates read, derived from an AuditResult without re-scoring."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..results import AuditResult, ControlResult, Status
from .charts import audit_charts
from .families import Family, families
from .sample import default_seed, samples
from .summary_charts import severity_chart, trend_chart
from .views import evidence_tables, first_showings, passing_only

# Report sections that list controls with their evidence, by ControlResult.section, in
# the order the report prints them.
CONTROL_SECTIONS = (
    "access_control",
    "login_anomalies",
    "encryption",
    "incidents",
    "audit_log",
)
UNEVALUATED = (Status.MANUAL, Status.NO_DATA, Status.ERROR, Status.NOT_APPLICABLE)


@dataclass(frozen=True, slots=True)
class FrameworkGroup:
    """The controls of one framework, by family, for the compliance test results."""

    key: str
    label: str
    controls: tuple[ControlResult, ...]
    families: tuple[Family, ...] = ()


@dataclass(frozen=True, slots=True)
class Presentation:
    """What the report says about how it was made, beyond the result itself."""

    classification: str = "Confidential"
    personal_data: str = "Personal data is shown as the database holds it."
    sample_rows: int = 5
    sample_seed: int | None = None
    render_warnings: tuple[str, ...] = field(default=())


def _framework_labels(result: AuditResult) -> dict[str, str]:
    """Display names for every framework key a control uses."""
    labels = {f.framework: f"{f.name} {f.version}" for f in result.frameworks}
    for control in result.controls:
        labels.setdefault(control.framework, control.framework)

    return labels


def _by_framework(result: AuditResult, labels: dict[str, str]) -> list[FrameworkGroup]:
    groups = []
    for key, label in labels.items():
        controls = tuple(c for c in result.controls if c.framework == key)
        groups.append(FrameworkGroup(key, label, controls, families(key, controls)))

    return groups


def _by_section(result: AuditResult) -> dict[str, tuple[ControlResult, ...]]:
    return {
        section: tuple(c for c in result.controls if c.section == section)
        for section in CONTROL_SECTIONS
    }


def _tables_read(result: AuditResult) -> list[str]:
    return sorted({table for run in result.queries for table in run.tables})


def _own_parameters(result: AuditResult) -> dict[str, list[tuple[str, object]]]:
    """Each query's bound values less the period bounds, which the report states once."""
    bounds = {
        "period_start": result.period.start.isoformat(),
        "period_end": result.period.end.isoformat(),
    }

    return {
        run.name: [
            (key, value)
            for key, value in sorted(run.parameters.items())
            if bounds.get(key) != value
        ]
        for run in result.queries
    }


def build_context(
    result: AuditResult, row_cap: int, presentation: Presentation | None = None
) -> dict[str, object]:
    """The template variables; every template reads only these."""
    shown = presentation or Presentation()
    labels = _framework_labels(result)
    tables = evidence_tables(result, row_cap)
    by_section = _by_section(result)
    shown_under = first_showings(c for s in CONTROL_SECTIONS for c in by_section[s])
    sampled = passing_only(result.controls)
    seed = default_seed(result) if shown.sample_seed is None else shown.sample_seed

    return {
        "result": result,
        "row_cap": row_cap,
        "statuses": list(Status),
        "framework_label": labels,
        "by_framework": _by_framework(result, labels),
        "by_section": by_section,
        "CONTROL_SECTIONS": CONTROL_SECTIONS,
        "failing": result.failing(),
        "in_error": [c for c in result.controls if c.status is Status.ERROR],
        "unevaluated": [c for c in result.controls if c.status in UNEVALUATED],
        "failed_queries": [q for q in result.queries if q.status == "error"],
        "missing_tables": [q for q in result.queries if q.status == "missing_table"],
        "missing_columns": [q for q in result.queries if q.status == "missing_column"],
        "tables_read": _tables_read(result),
        "own_parameters": _own_parameters(result),
        "tables": tables,
        "shown_under": shown_under,
        "sampled_only": sampled,
        "appendix": [
            t for name, t in tables.items() if name not in shown_under.keys() | sampled
        ],
        "charts": audit_charts(result),
        "severity_chart": severity_chart(result),
        "trend_chart": trend_chart(result),
        "classification": shown.classification,
        "personal_data": shown.personal_data,
        "sample_seed": seed,
        "sample_rows": shown.sample_rows,
        "samples": samples(result, shown.sample_rows, seed),
        "warnings": [*result.warnings, *shown.render_warnings],
    }
