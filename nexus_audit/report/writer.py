"""Write the report files so that a reader finds all of them or none of this run's."""

from __future__ import annotations

import logging
import os
import re
import secrets
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..errors import RenderError
from ..results import AuditResult
from . import csv_export as _csv
from . import render as _render

logger = logging.getLogger(__name__)

FORMATS = ("html", "pdf")
_SAFE_NAME = re.compile(r"^\w[\w.-]*$")


class _Staging:
    """Temporary files beside their targets, moved into place only when all exist."""

    def __init__(self) -> None:
        self.pending: list[tuple[Path, Path]] = []
        self.made_dirs: list[Path] = []
        self.current: Path | None = None

    def directory(self, path: Path) -> None:
        if not path.is_dir():
            path.mkdir(parents=True)
            self.made_dirs.append(path)

    def temp_for(self, final: Path) -> Path:
        """A new empty file in the target's folder, so os.replace stays atomic."""
        self.current = final
        temp = final.with_name(f".{final.name}.{secrets.token_hex(6)}.tmp")
        temp.open("xb").close()
        self.pending.append((temp, final))

        return temp

    def discard(self) -> None:
        for temp, _ in self.pending:
            temp.unlink(missing_ok=True)

        for folder in reversed(self.made_dirs):
            try:
                folder.rmdir()
            except OSError:
                logger.debug("left %s in place: not empty", folder)

    def commit(self) -> None:
        """Replace targets one by one; report exactly which moved if one cannot."""
        done: list[Path] = []
        for temp, final in self.pending:
            try:
                os.replace(temp, final)
            except OSError as exc:
                self.pending = [(t, f) for t, f in self.pending if f not in done]
                self.discard()
                moved = ", ".join(str(p) for p in done) or "none"
                message = f"could not move {final} into place ({exc})"
                raise RenderError(f"{message}; already replaced: {moved}") from exc
            done.append(final)


def _write_bytes(path: Path, data: bytes) -> None:
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or isinstance(formats, str):
        raise RenderError(
            f"unknown report format(s) {unknown or formats!r}; use {FORMATS}"
        )

    return tuple(f for f in FORMATS if f in formats)


def _stage_csvs(result: AuditResult, stage: _Staging, folder: Path) -> dict[str, Path]:
    """One CSV per query with evidence, named after the query."""
    written: dict[str, Path] = {}
    for name, frame in result.evidence.items():
        if not isinstance(frame, pd.DataFrame):
            continue
        if not _SAFE_NAME.match(name):
            raise RenderError(f"query name {name!r} cannot be used as a CSV file name")

        final = folder / f"{name}.csv"
        _csv.write_csv(frame, stage.temp_for(final))
        written[f"csv:{name}"] = final

    return written


def _stage_reports(
    result: AuditResult,
    stage: _Staging,
    out_dir: Path,
    caps: dict[str, int],
    wanted: tuple[str, ...],
) -> dict[str, Path]:
    written: dict[str, Path] = {}
    if "html" in wanted:
        stage.current = out_dir / "report.html"
        html = _render.render_html(result, row_cap=caps["html"])
        _write_bytes(stage.temp_for(stage.current), html.encode("utf-8"))
        written["html"] = stage.current

    if "pdf" in wanted:
        stage.current = out_dir / "report.pdf"
        pdf = _render.render_pdf(result, row_cap=caps["pdf"])
        _write_bytes(stage.temp_for(stage.current), pdf)
        written["pdf"] = stage.current

    return written


def _warn_stale(folder: Path, written: dict[str, Path]) -> None:
    stale = sorted(set(folder.glob("*.csv")) - set(written.values()))
    if stale:
        names = ", ".join(p.name for p in stale)
        logger.warning("evidence/ holds CSV files this audit did not write: %s", names)


def write_report(
    result: AuditResult,
    out_dir: Path,
    *,
    formats: Sequence[str] = FORMATS,
    pdf_row_cap: int = 25,
    html_row_cap: int = 500,
) -> dict[str, Path]:
    """Write report.html, report.pdf and evidence/<query>.csv into ``out_dir``.

    Returns paths keyed ``html``, ``pdf`` and ``csv:<query name>``. Everything is
    rendered to temporary files first; on any error they are removed, earlier files
    stay untouched and :class:`RenderError` says what failed.
    """
    wanted = _check_formats(formats)
    out_dir = Path(out_dir)
    folder = out_dir / "evidence"
    stage = _Staging()

    try:
        stage.directory(out_dir)
        stage.directory(folder)
        written = _stage_csvs(result, stage, folder)
        caps = {"html": html_row_cap, "pdf": pdf_row_cap}
        written |= _stage_reports(result, stage, out_dir, caps, wanted)
    except BaseException as exc:
        stage.discard()
        if not isinstance(exc, Exception):
            raise
        step = stage.current or out_dir
        message = (
            f"writing {step} failed: {type(exc).__name__}: {exc}; nothing was replaced"
        )
        raise RenderError(message) from exc

    stage.commit()
    _warn_stale(folder, written)
    logger.info("wrote %d report files to %s", len(written), out_dir)

    return written
