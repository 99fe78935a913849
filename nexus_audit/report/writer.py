"""Write the report files so that a reader finds all of them or none of this run's.

The files, in the order they are made: ``evidence/<query>.csv`` and ``results.json``,
``report.html``, ``report.pdf`` (carrying the same evidence files and result inside,
signed when a key is set), the outputs for other tools asked for (``controls.csv``,
``junit.xml``, ``oscal-assessment-results.json``), then ``manifest.json`` with every
file's SHA-256 and, with a key, its signature ``manifest.json.sig``. All of them are made
from the same pseudonymised result.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import RenderError
from ..faults import write_advice
from ..outputs import OUTPUT_FORMATS, render_output, result_json
from ..results import AuditResult
from . import csv_export as _csv
from . import manifest as _manifest
from . import render as _render
from .options import FORMATS, ReportOptions
from .privacy import Shown, prepare
from .sample import default_seed
from .signing import Signer, load_signer

if TYPE_CHECKING:
    from ._pdf import EmbeddedFile

logger = logging.getLogger(__name__)

RESULT_JSON = "results.json"
_SAFE_NAME = re.compile(r"^\w[\w.-]*$")


class _Staging:
    """Temporary files beside their targets, moved into place only when all exist."""

    def __init__(self) -> None:
        self.pending: list[tuple[Path, Path]] = []
        self.made_dirs: list[Path] = []
        self.current: Path | None = None

    def directory(self, path: Path) -> None:
        """Make ``path`` unless it exists; another run may make it at the same moment."""
        try:
            path.mkdir(parents=True)
        except FileExistsError:
            if not path.is_dir():
                raise
            return
        self.made_dirs.append(path)

    def write(self, final: Path, data: bytes) -> Path:
        """Stage ``data`` for ``final``."""
        temp = self.temp_for(final)
        _write_bytes(temp, data)
        return final

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
                raise RenderError(
                    f"{message}; already replaced: {moved}; {write_advice(exc)}"
                ) from exc
            done.append(final)


def _write_bytes(path: Path, data: bytes) -> None:
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    known = (*FORMATS, *OUTPUT_FORMATS)
    unknown = sorted(set(formats) - set(known))
    if unknown or isinstance(formats, str):
        raise RenderError(
            f"unknown report format(s) {unknown or formats!r}; use {known}"
        )

    return tuple(f for f in known if f in formats)


class _Run:
    """One report being written: the staged files and the bytes the manifest hashes."""

    def __init__(self, out_dir: Path, shown: Shown, options: ReportOptions) -> None:
        self.out_dir = out_dir
        self.shown = shown
        self.options = options
        self.stage = _Staging()
        self.artifacts: dict[str, bytes] = {}
        self.written: dict[str, Path] = {}
        self.notes: list[str] = []

    def put(self, kind: str, relative: str, data: bytes) -> None:
        final = self.out_dir / relative
        self.stage.current = final
        self.written[kind] = self.stage.write(final, data)
        self.artifacts[relative] = data

    def csvs(self) -> None:
        """One CSV per query with evidence, named after it, and the result as JSON."""
        for name, frame in self.shown.result.evidence.items():
            if not isinstance(frame, pd.DataFrame):
                continue
            if not _SAFE_NAME.match(name):
                raise RenderError(
                    f"query name {name!r} cannot be used as a CSV file name"
                )

            relative = f"evidence/{name}.csv"
            final = self.out_dir / relative
            temp = self.stage.temp_for(final)
            _csv.write_csv(frame, temp)
            self.written[f"csv:{name}"] = final
            self.artifacts[relative] = temp.read_bytes()

        self.put("json", RESULT_JSON, result_json(self.shown.result).encode("utf-8"))

    def embedded(self) -> list[EmbeddedFile]:
        """The evidence files and the result, as the PDF carries them."""
        engine = _render.pdf_engine()
        return [
            engine.EmbeddedFile(relative, data, f"nexus_audit evidence: {relative}")
            for relative, data in sorted(self.artifacts.items())
            if relative.startswith("evidence/") or relative == RESULT_JSON
        ]

    def reports(self, wanted: tuple[str, ...], signer: Signer | None) -> None:
        if "html" in wanted:
            self.stage.current = self.out_dir / "report.html"
            html = _render.html_for(self.shown, self.options, self.options.html_row_cap)
            self.put("html", "report.html", html.encode("utf-8"))

        if "pdf" in wanted:
            self.stage.current = self.out_dir / "report.pdf"
            pdf, self.notes = _render.pdf_for(
                self.shown, self.options, self.options.pdf_row_cap, self.embedded()
            )
            if signer is not None:
                reason = f"Compliance report {self.shown.result.period.label}"
                pdf = signer.sign_pdf(pdf, reason)
            self.put("pdf", "report.pdf", pdf)

    def outputs(self, wanted: tuple[str, ...]) -> None:
        """The outputs for other tools, from the result as the report shows it."""
        for name in wanted:
            if name == "json":
                continue  # results.json is always written, with the evidence
            filename, data = render_output(name, self.shown.result)
            self.stage.current = self.out_dir / filename
            self.put(name, filename, data)

    def manifest(self, signer: Signer | None, pdf_signed: bool) -> None:
        result = self.shown.result
        signing = None
        if signer is not None:
            signing = {
                "algorithm": "Ed25519",
                "public_key": base64.b64encode(signer.public_key).decode(),
                "pdf_signed": pdf_signed,
            }
        seed = self.options.sample_seed
        data = _manifest.build(
            result,
            self.artifacts,
            personal_data={
                "pseudonymised": self.shown.is_pseudonymised,
                "key_fingerprint": self.shown.key_fingerprint,
            },
            sample_seed=default_seed(result) if seed is None else seed,
            signing=signing,
        )
        final = self.out_dir / _manifest.NAME
        self.stage.current = final
        self.written["manifest"] = self.stage.write(final, data)

        if signer is not None:
            final = self.out_dir / _manifest.SIGNATURE
            self.stage.current = final
            self.written["signature"] = self.stage.write(
                final, signer.signature_file(data)
            )


def _warn_stale(folder: Path, written: dict[str, Path]) -> None:
    stale = sorted(set(folder.glob("*.csv")) - set(written.values()))
    if stale:
        names = ", ".join(p.name for p in stale)
        logger.warning("evidence/ holds CSV files this audit did not write: %s", names)


def _chosen(
    options: ReportOptions | None,
    formats: Sequence[str] | None,
    pdf_row_cap: int | None,
    html_row_cap: int | None,
) -> ReportOptions:
    chosen = options or ReportOptions()
    return replace(
        chosen,
        formats=tuple(chosen.formats if formats is None else formats),
        pdf_row_cap=chosen.pdf_row_cap if pdf_row_cap is None else pdf_row_cap,
        html_row_cap=chosen.html_row_cap if html_row_cap is None else html_row_cap,
    )


def write_report(
    result: AuditResult,
    out_dir: Path | str,
    options: ReportOptions | None = None,
    *,
    formats: Sequence[str] | None = None,
    pdf_row_cap: int | None = None,
    html_row_cap: int | None = None,
) -> dict[str, Path]:
    """Write the report, its evidence and its manifest into ``out_dir``.

    Returns paths keyed ``html``, ``pdf``, ``csv:<query name>``, ``json``
    (``results.json``, always written), ``csv``, ``junit`` and ``oscal`` when asked for,
    ``manifest`` and, with a signing key, ``signature``. Everything is rendered to
    temporary files first; on any error they are removed, earlier files stay
    untouched and :class:`RenderError` says what failed.
    """
    chosen = _chosen(options, formats, pdf_row_cap, html_row_cap)
    wanted = _check_formats(chosen.formats)
    signer = None
    if chosen.signing_key is not None:
        subject = f"{result.organisation} compliance reports"
        signer = load_signer(chosen.signing_key, chosen.signing_certificate, subject)

    run = _Run(Path(out_dir), prepare(result, chosen), chosen)
    try:
        run.stage.directory(run.out_dir)
        run.stage.directory(run.out_dir / "evidence")
        run.csvs()
        run.reports(wanted, signer)
        run.outputs(tuple(f for f in wanted if f in OUTPUT_FORMATS))
        run.manifest(signer, "pdf" in wanted)
    except BaseException as exc:
        run.stage.discard()
        if not isinstance(exc, Exception):
            raise
        step = run.stage.current or run.out_dir
        message = (
            f"writing {step} failed: {type(exc).__name__}: {exc}; nothing was "
            f"replaced: {write_advice(exc)}"
        )
        raise RenderError(message) from exc

    run.stage.commit()
    _warn_stale(run.out_dir / "evidence", run.written)
    logger.info("wrote %d report files to %s", len(run.written), run.out_dir)

    return run.written
