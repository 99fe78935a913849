"""The audit on Spark in local mode, with 1 and 2 cores, over the demo exported as Parquet.

    python -m benchmarks spark --events 1000000 --runs 1

Per size: the DuckDB demo is built (or reused), exported once with
``nexus-audit export --partition-by month`` (timed), then ``nexus-audit report --engine
spark --spark-master local[N]`` runs as a user runs it, for each core count. Wall time
includes starting the JVM and the session; ``query_s`` is the sum of the queries' own
times as the library logged them (run on Spark, results through Arrow, typed). Only on
demand: ``all`` leaves this part out, since it needs the ``spark`` extra and Java.
"""

from __future__ import annotations

import re
import shutil
from typing import Any

from .build import ensure_built
from .common import Options, median, run_child, stamp, summary, write_part
from .report import command

CORES = (1, 2)
KEYS = ("wall_s", "peak_rss_mb", "query_s")
_QUERY = re.compile(r"nexus_audit\.engines\.spark: query (\w+): (\d+) rows in (\d+) ms")


def run(options: Options) -> list[dict[str, Any]]:
    entries = []

    for events in options.events:
        target = ensure_built(options, "duckdb", events)
        lake = options.work / f"lake-{events}"
        shutil.rmtree(lake, ignore_errors=True)
        exported = run_child(
            [*command(), "export", "--database", target.url, "--out", str(lake),
             "--partition-by", "month"]
        )  # fmt: skip

        for cores in CORES:
            out = options.work / f"report-spark{cores}-{events}"
            argv = [
                *command(), "-v", "report", "--engine", "spark",
                "--spark-master", f"local[{cores}]", "--parquet", str(lake),
                "--month", options.month, "--format", "json", "--out", str(out), "-q",
            ]  # fmt: skip
            runs = [_measure(argv) for _ in range(options.runs)]
            entry = {"engine": f"spark local[{cores}]", "events": events}
            entry |= summary(runs, KEYS)
            entry["export_s"] = round(exported.wall_s, 3)
            entry["queries"] = len(runs[0]["per_query_ms"])
            entry["slowest_ms"] = _slowest(runs)
            for r in runs:
                del r["per_query_ms"]
            entries.append(stamp(entry))
            print(
                f"spark local[{cores}] {events} events: wall {entry['wall_s']} s, "
                f"queries {entry['query_s']} s, export {entry['export_s']} s",
                flush=True,
            )

    write_part(options, "spark", entries, ("engine", "events"))
    return entries


def _measure(argv: list[str]) -> dict[str, Any]:
    run = run_child(argv)
    per_query = {name: float(ms) for name, _, ms in _QUERY.findall(run.stderr)}

    return {
        "wall_s": round(run.wall_s, 3),
        "peak_rss_mb": round(run.peak_rss_mb, 1),
        "query_s": round(sum(per_query.values()) / 1000, 3),
        "per_query_ms": per_query,
    }


def _slowest(runs: list[dict[str, Any]]) -> dict[str, float | None]:
    names = runs[0]["per_query_ms"]
    medians = {
        name: median(r["per_query_ms"].get(name) for r in runs) for name in names
    }
    top = sorted(medians, key=lambda name: -(medians[name] or 0))[:5]
    return {name: medians[name] for name in top}
