"""Render an AuditResult as the monthly compliance report (HTML, PDF, CSV evidence).

Renderers only read the result: they never query the database and never re-score.
"""

from __future__ import annotations

from .options import ReportOptions
from .render import render_html, render_pdf
from .writer import write_report

__all__ = ["ReportOptions", "render_html", "render_pdf", "write_report"]
