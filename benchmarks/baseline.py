"""The pandas-by-hand baseline on the same data, in child processes (see pandas_baseline)."""

from __future__ import annotations

from typing import Any

from .build import ensure_built
from .common import Options, child, run_child, stamp, summary, write_part
from .pandas_baseline import engine_counts

KEYS = ("wall_s", "peak_rss_mb", "read_s", "compute_s")


def run(options: Options) -> list[dict[str, Any]]:
    entries = []

    for events in options.events:
        for engine in options.engines:
            target = ensure_built(options, engine, events)
            expected = engine_counts(target.url, options.month)
            for variant in (
                ("read_sql", "arrow") if engine == "duckdb" else ("read_sql",)
            ):
                runs = [
                    _measure(target.url, options.month, variant)
                    for _ in range(options.runs)
                ]
                counts = runs[0].pop("counts")
                for other in runs[1:]:
                    other.pop("counts")
                entry = {"engine": engine, "events": events, "variant": variant}
                entry |= summary(runs, KEYS)
                entry["rows_read"] = runs[0]["rows_read"]
                entry["counts"] = counts
                entry["matches_engine"] = counts == expected
                if counts != expected:
                    entry["engine_counts"] = expected
                entries.append(stamp(entry))

    write_part(options, "pandas", entries, ("engine", "events", "variant"))
    return entries


def _measure(url: str, month: str, variant: str) -> dict[str, Any]:
    run = run_child(child("pandas", url, month, variant))
    inside = run.reported()

    return {
        "wall_s": round(run.wall_s, 3),
        "peak_rss_mb": round(run.peak_rss_mb, 1),
        **inside,
    }
