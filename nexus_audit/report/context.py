"""Everything the templates read, derived from an AuditResult without re-scoring."""

from __future__ import annotations

from dataclasses import dataclass

from ..results import AuditResult, ControlResult, Status
from .charts import audit_charts
from .views import evidence_tables

# Report sections that list controls with their evidence, by ControlResult.section.
CONTROL_SECTIONS = ("access_control", "encryption", "incidents", "audit_log")


@dataclass(frozen=True, slots=True)
class FrameworkGroup:
    """The controls of one framework, for the compliance test results."""

    label: str
    controls: tuple[ControlResult, ...]


def _framework_labels(result: AuditResult) -> dict[str, str]:
    """Display names for every framework key a control uses."""
    labels = {f.framework: f"{f.name} {f.version}" for f in result.frameworks}
    for control in result.controls:
        labels.setdefault(control.framework, control.framework)

    return labels


def _by_framework(result: AuditResult, labels: dict[str, str]) -> list[FrameworkGroup]:
    return [
        FrameworkGroup(label, tuple(c for c in result.controls if c.framework == key))
        for key, label in labels.items()
    ]


def _by_section(result: AuditResult) -> dict[str, tuple[ControlResult, ...]]:
    return {
        section: tuple(c for c in result.controls if c.section == section)
        for section in CONTROL_SECTIONS
    }


def build_context(result: AuditResult, row_cap: int) -> dict[str, object]:
    """The template variables; every template reads only these."""
    labels = _framework_labels(result)
    tables = evidence_tables(result, row_cap)

    return {
        "result": result,
        "row_cap": row_cap,
        "statuses": list(Status),
        "framework_label": labels,
        "by_framework": _by_framework(result, labels),
        "by_section": _by_section(result),
        "failing": result.failing(),
        "in_error": [c for c in result.controls if c.status is Status.ERROR],
        "failed_queries": [q for q in result.queries if q.status == "error"],
        "missing_tables": [q for q in result.queries if q.status == "missing_table"],
        "tables": tables,
        "appendix": list(tables.values()),
        "charts": audit_charts(result),
    }
