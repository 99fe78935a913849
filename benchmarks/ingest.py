"""Ingestion throughput and detection run time on auth.log repeated to a million lines.

The real ``auth.log`` (7,121 lines, 24 days) is written out again and again, each copy
shifted 25 days later than the one before, until the file holds at least 1,000,000
lines: a host's log of nearly ten years, with every attack repeated at a new time (a
copy at the same time would be recognised as the same lines and not stored again).
The file is ingested into a new DuckDB database (or the URL given), then the ten
login-anomaly detections run over its whole span. Figures go to a JSON file.

    python benchmarks/ingest.py [--lines 1000000] [--database URL] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from nexus_audit.database import snapshot
from nexus_audit.ingest import ingest
from nexus_audit.model import metadata
from nexus_audit.period import Period
from nexus_audit.queries import load_queries
from nexus_audit.runner import run_query


def _source() -> Path:
    """``shared/data/real/auth.log`` beside the checkout, or beside a folder above it (a
    worktree or a clone one level deeper), as the tests look for it."""
    real = Path("shared") / "data" / "real" / "auth.log"
    for folder in Path(__file__).resolve().parents[1:]:
        if (folder.parent / real).is_file():
            return folder.parent / real

    return Path(__file__).resolve().parents[2] / real


SOURCE = _source()
DETECTIONS = (
    "brute_force_by_source",
    "password_spray_by_source",
    "credential_stuffing_by_source",
    "failures_then_success",
    "impossible_travel",
    "new_source_for_user",
    "off_hours_privileged_logins",
    "logins_to_inactive_accounts",
    "lockout_not_enforced",
    "privilege_changes",
)
SHIFT = timedelta(days=25)


def repeated(source: Path, target: Path, lines: int) -> int:
    """Write shifted copies of ``source`` to ``target``; returns the lines written."""
    original = source.read_text(encoding="utf-8").splitlines()
    written = 0

    with target.open("w", encoding="utf-8") as out:
        copy = 0
        while written < lines:
            for line in original:
                stamp = datetime.strptime(f"2017 {line[:15]}", "%Y %b %d %H:%M:%S")
                moved = stamp + SHIFT * copy
                out.write(f"{moved:%b} {moved.day:2d} {moved:%H:%M:%S}{line[15:]}\n")
            written += len(original)
            copy += 1

    return written


def detections(url: str) -> dict[str, dict[str, float]]:
    queries = load_queries()
    whole = Period(datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
    values = {"period_start": whole.start, "period_end": whole.end}
    engine = sa.create_engine(url)
    found: dict[str, dict[str, float]] = {}

    try:
        with snapshot(
            engine, statement_timeout_s=3600, lock_timeout_s=10
        ) as connection:
            for name in DETECTIONS:
                outcome = run_query(
                    connection,
                    queries[name],
                    values,
                    frozenset(metadata.tables),
                    timeout_s=3600,
                )
                if outcome.status != "ok":
                    raise RuntimeError(f"{name} failed: {outcome.error}")
                found[name] = {
                    "rows": len(outcome.frame),
                    "ms": round(outcome.duration_ms),
                }
    finally:
        engine.dispose()

    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument(
        "--database", help="SQLAlchemy URL (default: a new DuckDB file)"
    )
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).with_name("ingest.json")
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "auth-repeated.log"
        lines = repeated(SOURCE, log, args.lines)
        url = args.database or f"duckdb:///{Path(folder) / 'bench.duckdb'}"

        started = time.perf_counter()
        report = ingest("syslog", [log], url, year=2017)
        seconds = time.perf_counter() - started

        started = time.perf_counter()
        timings = detections(url)
        detect_seconds = time.perf_counter() - started

    figures = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {platform.machine()} Python {platform.python_version()}",
        "database": sa.make_url(url).get_backend_name(),
        "lines": lines,
        "ingest_seconds": round(seconds, 2),
        "lines_per_second": round(lines / seconds),
        "attempts_stored": report.attempts_stored,
        "events_stored": report.events_stored,
        "lines_skipped": report.lines_skipped,
        "detections_seconds": round(detect_seconds, 2),
        "detections": timings,
    }
    args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
