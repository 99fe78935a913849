"""Where the shipped SQL and templates live, installed or in a source checkout.

The wheel maps the top-level ``queries/`` and ``report_templates/`` folders under the
package (``_queries``, ``_report_templates``); a source checkout keeps them beside it.
The installed copy wins, so a wheel never reads a stray checkout.
"""

from __future__ import annotations

from pathlib import Path

from .errors import NexusAuditError, QueryFileError, RenderError

_PACKAGE = Path(__file__).resolve().parent


def _find(packaged: str, source: str, marker: str, error: type[NexusAuditError]) -> Path:
    candidates = (_PACKAGE / packaged, _PACKAGE.parent / source)

    for candidate in candidates:
        if (candidate / marker).is_file():
            return candidate

    searched = ", ".join(str(c) for c in candidates)
    raise error(f"{source} not found (looked for {marker} in {searched}); reinstall nexus-audit")


def queries_dir() -> Path:
    """The folder of shipped ``*.sql`` query files."""
    return _find("_queries", "queries", "period_activity.sql", QueryFileError)


def templates_dir() -> Path:
    """The folder of shipped Jinja2 report templates."""
    return _find("_report_templates", "report_templates", "report.html", RenderError)
