"""Results for other tools: JSON (with a JSON Schema), a controls CSV, JUnit XML, OSCAL.

Like the report, these only read an :class:`~nexus_audit.results.AuditResult`; each file
is written to a temporary name and moved into place, so a failed run leaves no half file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import RenderError
from ..results import AuditResult
from .controls_csv import controls_csv
from .json_result import SCHEMA_VERSION, json_schema, result_json
from .junit import junit_xml
from .oscal import oscal_assessment_results

__all__ = [
    "OUTPUT_FORMATS",
    "SCHEMA_VERSION",
    "controls_csv",
    "json_schema",
    "junit_xml",
    "oscal_assessment_results",
    "render_output",
    "result_json",
    "write_outputs",
]

_WRITERS: dict[str, tuple[str, Callable[[AuditResult], str]]] = {
    "json": ("results.json", result_json),
    "csv": ("controls.csv", controls_csv),
    "junit": ("junit.xml", junit_xml),
    "oscal": ("oscal-assessment-results.json", oscal_assessment_results),
}
OUTPUT_FORMATS: tuple[str, ...] = tuple(_WRITERS)


def render_output(name: str, result: AuditResult) -> tuple[str, bytes]:
    """The file name and bytes of one output format; the report writer stages them."""
    if name not in _WRITERS:
        raise RenderError(f"unknown output format {name!r}; use {list(_WRITERS)}")

    filename, render = _WRITERS[name]
    return filename, render(result).encode("utf-8")


def write_outputs(
    result: AuditResult, out_dir: Path, formats: Sequence[str]
) -> dict[str, Path]:
    """Write the requested machine-readable outputs of ``result`` as it is, into ``out_dir``.

    ``write_report`` (and ``nexus-audit report``) writes them with the report instead:
    pseudonymised as the report is, and listed in its manifest.
    """
    unknown = [name for name in formats if name not in _WRITERS]
    if unknown:
        raise RenderError(f"unknown output format(s) {unknown}; use {list(_WRITERS)}")

    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}

    for name in formats:
        filename, render = _WRITERS[name]
        written[name] = _write_atomically(out_dir / filename, render(result))

    return written


def _write_atomically(path: Path, text: str) -> Path:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)

    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise RenderError(f"cannot write {path}: {error.strerror}") from error

    return path
