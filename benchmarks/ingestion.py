"""Ingestion lines per second: ``benchmarks/ingest.py`` run ``runs`` times, the median kept.

That script (owned with the ingest package) writes a syslog file of about a million
SSH authentication lines, ingests it into a new DuckDB file and times the detections; it
is run here as it stands, each run in a child process.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from .common import ROOT, Options, median, run_child, stamp, write_part

SCRIPT = ROOT / "benchmarks" / "ingest.py"
KEYS = ("lines_per_second", "ingest_seconds", "detections_seconds")


def missing() -> str | None:
    """Why the part cannot run here (the script or the real log it repeats), or None."""
    if not SCRIPT.exists():
        return f"{SCRIPT} is not there"

    from .ingest import SOURCE

    if not SOURCE.is_file():
        return f"it repeats the real log {SOURCE}, which is not there (see SOURCES.md)"
    return None


def run(options: Options) -> list[dict[str, Any]]:
    runs = []

    with tempfile.TemporaryDirectory() as folder:
        for index in range(options.runs):
            out = Path(folder) / f"ingest-{index}.json"
            measured = run_child([sys.executable, str(SCRIPT), "--out", str(out)])
            if not out.exists():
                raise RuntimeError(
                    f"{SCRIPT} wrote no figures:\n{measured.stderr[-3000:]}"
                )
            figures = json.loads(out.read_text(encoding="utf-8"))
            figures.pop("detections", None)
            figures["wall_s"] = round(measured.wall_s, 3)
            figures["peak_rss_mb"] = round(measured.peak_rss_mb, 1)
            runs.append(figures)

    entry: dict[str, Any] = {
        "engine": runs[0].get("database", "duckdb"),
        "lines": runs[0]["lines"],
    }
    entry |= {key: median(r.get(key) for r in runs) for key in (*KEYS, "peak_rss_mb")}
    entry["runs"] = runs
    write_part(options, "ingest", [stamp(entry)], ("engine", "lines"))
    return [entry]
