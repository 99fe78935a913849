"""PDF render time and page count, whatever the data size.

One child process audits the demo once, then writes the PDF ``runs`` times as ``report``
does (evidence capped in the PDF, the full CSVs beside it). The renderer's own time is
taken from its log; the child's peak memory after each render shows whether a
long-lived process keeps growing (field failure A.1). The PDF depends on the result
only, so it is measured on one engine: DuckDB when it is chosen.
"""

from __future__ import annotations

from typing import Any

from .build import ensure_built
from .common import Options, child, median, run_child, stamp, write_part


def run(options: Options) -> list[dict[str, Any]]:
    entries = []
    engine = "duckdb" if "duckdb" in options.engines else options.engines[0]

    for events in options.events:
        target = ensure_built(options, engine, events)
        out = options.work / f"pdf-{engine}-{events}"
        run = run_child(child("pdf", target.url, options.month, out, options.runs))
        inside = run.reported()
        renders = inside["renders"]
        entry = {
            "engine": engine,
            "events": events,
            "pdf_s": median(r["pdf_s"] for r in renders),
            "write_s": median(r["write_s"] for r in renders),
            "pages": inside["pages"],
            "rss_after_audit_mb": inside["audit_rss_mb"],
            "rss_after_each_render_mb": [r["rss_mb"] for r in renders],
            "peak_rss_mb": round(run.peak_rss_mb, 1),
            "runs": renders,
        }
        entries.append(stamp(entry))

    write_part(options, "pdf", entries, ("engine", "events"))
    return entries
