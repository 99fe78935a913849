"""What the commands do, as functions a script can call in a few lines."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from .audit import run_audit
from .config import Settings, load_settings
from .engines import QueryEngine
from .errors import ConfigError
from .outputs import OUTPUT_FORMATS
from .period import Period
from .report import ReportOptions, write_report
from .results import AuditResult
from .runner import Progress

log = logging.getLogger(__name__)

DEMO_FILE = "demo.duckdb"
REPORT_FORMATS = ("html", "pdf")


def audit_report(
    database: str | QueryEngine | None = None,
    month: str | Period | None = None,
    *,
    frameworks: list[str] | None = None,
    formats: Sequence[str] | None = None,
    out_dir: Path | str | None = None,
    config: Path | str | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    generated_at: datetime | None = None,
    show_personal_data: bool | None = None,
) -> tuple[AuditResult, dict[str, Path]]:
    """Audit ``database`` for ``month`` and write the report; returns result and paths.

    ``database`` is a SQLAlchemy URL or an engine such as
    :func:`nexus_audit.engines.spark_engine`'s.

    ``generated_at`` fixes the time the report states; ``show_personal_data`` overrides
    the setting of that name (by default personal data is pseudonymised).
    """
    settings = settings or load_settings(config)
    chosen = _formats(formats or settings.formats)
    result = run_audit(
        database,
        month,
        settings=settings,
        frameworks=frameworks,
        progress=_stage(progress, "queries"),
        generated_at=generated_at,
    )

    folder = Path(out_dir) if out_dir else settings.output_dir
    if progress:
        progress("render:html and pdf", 0, 1)
    options = ReportOptions.from_settings(
        settings, formats=chosen, show_personal_data=show_personal_data
    )
    paths = write_report(result, folder, options)
    if progress:
        progress("render:done", 1, 1)

    return result, paths


def demo_report(
    database: str | None = None,
    month: str | Period | None = None,
    *,
    events: int = 1_000_000,
    seed: int = 20261,
    replace: bool = False,
    out_dir: Path | str | None = None,
    config: Path | str | None = None,
    progress: Progress | None = None,
    generated_at: datetime | None = None,
    show_personal_data: bool | None = None,
) -> tuple[AuditResult, dict[str, Path]]:
    """Build the demo database (a DuckDB file in the output folder by default) and audit it.

    The demo also writes an attestation file, a waiver file and eleven months of audit
    history beside the report, unless the settings name their own.
    """
    from .demo import build_demo, prepare_assurance

    settings = load_settings(config)
    folder = Path(out_dir) if out_dir else settings.output_dir
    period = (
        month
        if isinstance(month, Period)
        else (Period.parse(month) if month else Period.last_complete_month())
    )

    if database is None:
        folder.mkdir(parents=True, exist_ok=True)
        database = f"duckdb:///{(folder / DEMO_FILE).resolve()}"
        replace = True

    summary = build_demo(
        database,
        period,
        events=events,
        seed=seed,
        replace=replace,
        progress=_stage(progress, "demo"),
    )
    settings = prepare_assurance(
        database, period, folder, settings, summary.injected, _stage(progress, "history")
    )

    return audit_report(
        database,
        period,
        out_dir=folder,
        settings=settings,
        progress=progress,
        generated_at=generated_at,
        show_personal_data=show_personal_data,
    )


def _formats(formats: Sequence[str]) -> tuple[str, ...]:
    known = (*REPORT_FORMATS, *OUTPUT_FORMATS)
    unknown = [name for name in formats if name not in known]
    if unknown:
        raise ConfigError(f"unknown output format(s) {unknown}; choose from {list(known)}")
    return tuple(formats)


def _stage(progress: Progress | None, stage: str) -> Progress | None:
    if progress is None:
        return None

    def report(step: str, done: int, total: int) -> None:
        progress(f"{stage}:{step}", done, total)

    return report
