"""Where the shipped SQL and templates live, installed or in a source checkout.

The wheel maps the top-level ``queries/`` and ``report_templates/`` folders under the
package (``_queries``, ``_report_templates``); a source checkout keeps them beside it.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(packaged: str, source: str) -> Path:
    for candidate in (_PACKAGE / packaged, _PACKAGE.parent / source):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"neither {_PACKAGE / packaged} nor {_PACKAGE.parent / source} exists: "
        "the installation is incomplete; reinstall nexus-audit"
    )


def queries_dir() -> Path:
    """The folder of shipped ``*.sql`` query files."""
    return _find("_queries", "queries")


def templates_dir() -> Path:
    """The folder of shipped Jinja2 report templates."""
    return _find("_report_templates", "report_templates")
