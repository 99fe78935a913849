"""HTML and PDF from one template set; the PDF engine fetches only data: URLs.

Both renderers first apply the privacy step (:mod:`privacy`): unless personal data is
to be shown, evidence reaches the templates pseudonymised.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING

from ..errors import RenderError
from ..results import AuditResult
from . import context as _context
from . import fonts
from ._env import environment
from .options import ReportOptions
from .privacy import Shown, prepare

if TYPE_CHECKING:
    from ._pdf import EmbeddedFile

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


def html_for(
    shown: Shown,
    options: ReportOptions,
    row_cap: int,
    render_warnings: Sequence[str] = (),
) -> str:
    """Render the report template; any failure, undefined names included, is named."""
    _check_cap(row_cap)
    presentation = _context.Presentation(
        classification=options.classification,
        personal_data=shown.statement,
        sample_rows=options.sample_rows,
        sample_seed=options.sample_seed,
        render_warnings=tuple(render_warnings),
    )

    try:
        variables = _context.build_context(shown.result, row_cap, presentation)
        return environment().get_template(TEMPLATE).render(variables)
    except RenderError:
        raise
    except Exception as exc:
        message = f"rendering {TEMPLATE} failed: {type(exc).__name__}: {exc}"
        raise RenderError(message) from exc


def pdf_for(
    shown: Shown,
    options: ReportOptions,
    row_cap: int,
    files: Sequence[EmbeddedFile] = (),
) -> tuple[bytes, list[str]]:
    """The PDF and the warnings it adds: characters no installed font can draw."""
    engine = pdf_engine()
    html = html_for(shown, options, row_cap)
    started = time.perf_counter()

    try:
        missing = fonts.probe(html, engine.layout)
        notes = [fonts.warning(missing)] if missing else []
        if missing:
            logger.warning("%s", notes[0])
            html = fonts.replace(html_for(shown, options, row_cap, notes), missing)

        with fonts.undrawn_glyphs() as undrawn:
            pdf = engine.html_to_pdf(html, files, created=shown.result.generated_at)
    except RenderError:
        raise
    except Exception as exc:
        raise RenderError(f"WeasyPrint could not lay out the PDF: {exc}") from exc

    if undrawn:
        logger.warning(
            "the PDF still shows empty boxes for %s", fonts.warning(sorted(undrawn))
        )
    if not isinstance(pdf, bytes):
        raise RenderError("WeasyPrint returned no PDF bytes")

    logger.info("rendered PDF in %.2f s", time.perf_counter() - started)
    return pdf, notes


def render_html(
    result: AuditResult, *, row_cap: int = 500, options: ReportOptions | None = None
) -> str:
    """The report as one self-contained HTML document (CSS, charts and script inline)."""
    chosen = options or ReportOptions()
    started = time.perf_counter()
    html = html_for(prepare(result, chosen), chosen, row_cap)
    logger.info("rendered HTML in %.2f s", time.perf_counter() - started)

    return html


def render_pdf(
    result: AuditResult, *, row_cap: int = 25, options: ReportOptions | None = None
) -> bytes:
    """The same template as HTML, laid out for A4 by WeasyPrint as PDF/A-3a."""
    chosen = options or ReportOptions()
    pdf, _ = pdf_for(prepare(result, chosen), chosen, row_cap)

    return pdf
