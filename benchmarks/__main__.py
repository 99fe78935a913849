"""python -m benchmarks PART [--events N[,N...]] [--runs R] [--engines duckdb,postgres]

Parts: build (demo generation), report (end to end), engine (time inside the engine per
query), pandas (the by-hand baseline), pdf (render time and pages), ingest (lines per
second, when benchmarks/ingest.py is there), spark (the audit on Spark with 1 and 2
local cores, on demand only), all (every part but spark, then the table), table
(results/RESULTS.md from the JSON files), clean (drop the demo databases).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import baseline, build, engine, ingestion, pdf, report, spark, table
from .common import POSTGRES_URL, Options

PARTS: dict[str, Callable[[Options], Any]] = {
    "build": build.run,
    "report": report.run,
    "engine": engine.run,
    "pandas": baseline.run,
    "pdf": pdf.run,
    "ingest": ingestion.run,
    "spark": spark.run,
}
ON_DEMAND = ("spark",)
"""Parts ``all`` leaves out: they need an optional extra."""


def _options(arguments: argparse.Namespace) -> Options:
    defaults = Options()
    return Options(
        events=tuple(int(n.replace("_", "")) for n in arguments.events.split(",")),
        engines=tuple(arguments.engines.split(",")),
        runs=arguments.runs,
        month=arguments.month,
        postgres_url=arguments.postgres,
        work=arguments.work or defaults.work,
        results=arguments.results or defaults.results,
    )


def parser() -> argparse.ArgumentParser:
    described = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    described.add_argument("part", choices=[*PARTS, "all", "table", "clean"])
    described.add_argument(
        "--events", default="1000000", help="audit events in the month; comma-separated"
    )
    described.add_argument(
        "--runs", type=int, default=3, help="runs per figure (median)"
    )
    described.add_argument("--engines", default="duckdb,postgres")
    described.add_argument("--month", default="2026-11")
    described.add_argument(
        "--postgres",
        default=POSTGRES_URL,
        help="database for the PostgreSQL demos (NEXUS_AUDIT_BENCH_POSTGRES_URL); "
        "each size gets a schema nexus_bench_<events>",
    )
    described.add_argument(
        "--work", type=Path, help="demo files (default benchmarks/work)"
    )
    described.add_argument("--results", type=Path, help="default benchmarks/results")
    return described


def main(argv: list[str]) -> int:
    arguments = parser().parse_args(argv)
    options, part = _options(arguments), arguments.part

    if part == "clean":
        for gone in build.clean(options):
            print(f"dropped {gone}")
        return 0

    chosen = [
        name
        for name in PARTS
        if part == name or (part == "all" and name not in ON_DEMAND)
    ]
    why_not = ingestion.missing() if "ingest" in chosen else None
    if why_not:
        print(f"ingest: skipped, {why_not}", flush=True)
        chosen.remove("ingest")

    for name in chosen:
        started = time.perf_counter()
        print(f"{name}: running ...", flush=True)
        PARTS[name](options)
        print(f"{name}: done in {time.perf_counter() - started:.0f} s", flush=True)

    print(f"wrote {table.write(options)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
