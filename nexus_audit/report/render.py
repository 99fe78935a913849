"""HTML and PDF from one template set; the PDF engine fetches only data: URLs."""

from __future__ import annotations

import logging
import time
import warnings
from types import ModuleType

from ..errors import RenderError
from ..results import AuditResult
from . import context as _context
from ._env import environment

logger = logging.getLogger(__name__)

TEMPLATE = "report.html"


def pdf_engine() -> ModuleType:
    """WeasyPrint, imported on first use.

    Its import warns when the optional HarfBuzz-Subset library is missing; that only
    makes fonts in the PDF larger, so it is logged rather than raised.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        from . import _pdf

    for warning in caught:
        logger.debug("while importing WeasyPrint: %s", warning.message)

    return _pdf


def _check_cap(row_cap: int) -> None:
    if row_cap < 0:
        raise RenderError(f"row_cap must be zero or more, got {row_cap}")


def _render_template(result: AuditResult, row_cap: int) -> str:
    """Render the report template; any failure, undefined names included, is named."""
    _check_cap(row_cap)

    try:
        variables = _context.build_context(result, row_cap)
        return environment().get_template(TEMPLATE).render(variables)
    except RenderError:
        raise
    except Exception as exc:
        message = f"rendering {TEMPLATE} failed: {type(exc).__name__}: {exc}"
        raise RenderError(message) from exc


def render_html(result: AuditResult, *, row_cap: int = 500) -> str:
    """The report as one self-contained HTML document (CSS and charts inline)."""
    started = time.perf_counter()
    html = _render_template(result, row_cap)
    logger.info("rendered HTML in %.2f s", time.perf_counter() - started)

    return html


def render_pdf(result: AuditResult, *, row_cap: int = 25) -> bytes:
    """The same template as HTML, laid out for A4 by WeasyPrint."""
    html = _render_template(result, row_cap)
    started = time.perf_counter()

    try:
        pdf = pdf_engine().html_to_pdf(html)
    except Exception as exc:
        raise RenderError(f"WeasyPrint could not lay out the PDF: {exc}") from exc

    if not isinstance(pdf, bytes):
        raise RenderError("WeasyPrint returned no PDF bytes")

    logger.info("rendered PDF in %.2f s", time.perf_counter() - started)
    return pdf
