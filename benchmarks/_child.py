"""Jobs run in a child process, so the parent can measure their wall time and peak memory.

    python -m benchmarks._child build URL MONTH EVENTS
    python -m benchmarks._child pandas URL MONTH VARIANT
    python -m benchmarks._child pdf URL MONTH OUT RUNS

Each prints one JSON object on its last line: the timings it took inside.
"""

from __future__ import annotations

import json
import logging
import re
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def build(url: str, month: str, events: str) -> dict[str, Any]:
    from nexus_audit.demo import build_demo
    from nexus_audit.period import Period

    from .common import SEED

    started = time.perf_counter()
    summary = build_demo(url, Period.parse(month), int(events), SEED, replace=True)

    return {
        "build_s": round(time.perf_counter() - started, 3),
        "audit_log_rows": summary.rows.get("audit_log"),
        "login_attempts_rows": summary.rows.get("login_attempts"),
    }


def pandas(url: str, month: str, variant: str) -> dict[str, Any]:
    from .pandas_baseline import by_hand

    return by_hand(url, month, variant)


class _PdfTimes(logging.Handler):
    """Collects the renderer's own "rendered PDF in X s" log lines."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.seconds: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        found = re.match(r"rendered PDF in ([\d.]+) s", record.getMessage())
        if found:
            self.seconds.append(float(found.group(1)))


def pdf(url: str, month: str, out: str, runs: str) -> dict[str, Any]:
    """Audit once, then render the PDF ``runs`` times, as ``report`` writes it."""
    from pypdf import PdfReader

    from nexus_audit import run_audit
    from nexus_audit.config import load_settings
    from nexus_audit.report import ReportOptions, write_report

    times = _PdfTimes()
    logger = logging.getLogger("nexus_audit.report")
    logger.addHandler(times)
    logger.setLevel(logging.INFO)

    settings = load_settings()
    started = time.perf_counter()
    result = run_audit(url, month, settings=settings)
    audit_s = time.perf_counter() - started
    audit_rss_mb = round(_peak_mb(), 1)
    options = ReportOptions.from_settings(settings, formats=["pdf"])
    renders = []

    for index in range(int(runs)):
        folder = Path(out) / f"render-{index}"
        started = time.perf_counter()
        paths = write_report(result, folder, options)
        renders.append(
            {
                "write_s": round(time.perf_counter() - started, 3),
                "pdf_s": times.seconds[-1] if times.seconds else None,
                "rss_mb": round(_peak_mb(), 1),
            }
        )

    pages = len(PdfReader(paths["pdf"]).pages)
    return {
        "audit_s": round(audit_s, 3),
        "audit_rss_mb": audit_rss_mb,
        "pages": pages,
        "renders": renders,
    }


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


JOBS: dict[str, Callable[..., dict[str, Any]]] = {
    "build": build,
    "pandas": pandas,
    "pdf": pdf,
}


def main(arguments: list[str]) -> None:
    job, *rest = arguments
    print(json.dumps(JOBS[job](*rest)))


if __name__ == "__main__":
    main(sys.argv[1:])
