"""One CSV row per control, for spreadsheets and GRC imports."""

from __future__ import annotations

import csv
import io

from ..results import AuditResult

COLUMNS = (
    "framework",
    "control_id",
    "requirement",
    "title",
    "kind",
    "severity",
    "status",
    "finding_count",
    "reason",
    "queries",
    "remediation",
    "period_start",
    "period_end",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def controls_csv(result: AuditResult) -> str:
    """Controls as CSV; text that a spreadsheet would run as a formula is neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)

    for control in result.controls:
        writer.writerow(
            [
                control.framework,
                control.control_id,
                control.requirement,
                _safe(control.title),
                control.kind,
                control.severity,
                control.status.value,
                "" if control.finding_count is None else control.finding_count,
                _safe(control.reason),
                " ".join(control.queries),
                _safe(control.remediation),
                result.period.start.isoformat(),
                result.period.end.isoformat(),
            ]
        )

    return buffer.getvalue()


def _safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA) else text
