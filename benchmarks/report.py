"""End to end: ``nexus-audit report`` as a user runs it, wall time and peak memory.

The command runs with ``-v`` so its own log gives, from the same run, each query's time
as the library measured it (execute, fetch and type the rows) and the PDF renderer's
time; "report minus PDF" is the wall time less the latter. One run warms the caches and
is not counted.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from typing import Any

from .build import ensure_built
from .common import Options, median, run_child, stamp, summary, write_part

KEYS = ("wall_s", "peak_rss_mb", "pdf_s", "wall_minus_pdf_s", "query_s")
_QUERY = re.compile(r"nexus_audit\.runner: query (\w+): (\d+) rows in (\d+) ms")
_PDF = re.compile(r"rendered PDF in ([\d.]+) s")


def command() -> list[str]:
    """The installed ``nexus-audit`` script beside this Python, or the module."""
    script = Path(sys.executable).with_name("nexus-audit")
    if script.exists():
        return [str(script)]
    found = shutil.which("nexus-audit")
    return (
        [found]
        if found
        else [sys.executable, "-c", "from nexus_audit.cli import main; main()"]
    )


def run(options: Options) -> list[dict[str, Any]]:
    entries = []

    for events in options.events:
        for engine in options.engines:
            target = ensure_built(options, engine, events)
            out = options.work / f"report-{engine}-{events}"
            argv = [
                *command(), "-v", "report", "--database", target.url,
                "--month", options.month, "--out", str(out), "-q",
            ]  # fmt: skip
            run_child(argv)
            runs = [_measure(argv) for _ in range(options.runs)]
            entry = {"engine": engine, "events": events} | summary(runs, KEYS)
            entry["queries"] = len(runs[0]["per_query_ms"])
            entry["per_query_ms"] = {
                name: median(r["per_query_ms"].get(name) for r in runs)
                for name in runs[0]["per_query_ms"]
            }
            for r in runs:
                del r["per_query_ms"]
            entries.append(stamp(entry))

    write_part(options, "report", entries, ("engine", "events"))
    return entries


def _measure(argv: list[str]) -> dict[str, Any]:
    run = run_child(argv)
    per_query = {name: float(ms) for name, _, ms in _QUERY.findall(run.stderr)}
    rendered = [float(s) for s in _PDF.findall(run.stderr)]
    pdf_s = rendered[-1] if rendered else None

    return {
        "wall_s": round(run.wall_s, 3),
        "peak_rss_mb": round(run.peak_rss_mb, 1),
        "pdf_s": pdf_s,
        "wall_minus_pdf_s": round(run.wall_s - pdf_s, 3) if pdf_s is not None else None,
        "query_s": round(sum(per_query.values()) / 1000, 3),
        "per_query_ms": per_query,
    }
