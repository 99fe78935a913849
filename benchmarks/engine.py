"""The engine's own time for each query, measured inside the engine.

The audit runs ``runs`` times; each query it ran is then replayed ``runs`` times with the
values its run record states, in the same kind of read-only snapshot, and measured by
the engine itself:

- PostgreSQL: ``EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON)``, planning plus execution
  time (``TIMING OFF`` spares the per-node clock reads that inflate EXPLAIN ANALYZE);
- DuckDB: its JSON profiler, the query's total time plus planning and optimising.

Beside it, the library's time for the same query (``QueryRun.duration_ms``: execute,
fetch, type), the median over ``runs`` audits. Their ratio is the library's overhead.
These audits run their queries on one connection, so that no query's time includes a
share of the cores another query took (``report`` runs them as a user would).
"""

from __future__ import annotations

import json
import statistics
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from .build import ensure_built
from .common import Options, median, stamp, write_part


def run(options: Options) -> list[dict[str, Any]]:
    entries = []

    for events in options.events:
        for engine in options.engines:
            target = ensure_built(options, engine, events)
            statements, library = _audit(target.url, options.month, options.runs)
            inside = _replay(target.url, statements, options.runs)
            entries.append(stamp(_entry(engine, events, inside, library)))

    write_part(options, "engine", entries, ("engine", "events"))
    return entries


def _entry(
    engine: str, events: int, inside: dict[str, float], library: dict[str, list[float]]
) -> dict[str, Any]:
    per_query = {
        name: {"engine_ms": round(inside[name], 2), "library_ms": median(library[name])}
        for name in inside
    }
    slowest = sorted(inside, key=lambda name: -inside[name])
    engine_s = sum(inside.values()) / 1000
    library_s = sum(statistics.median(library[name]) for name in inside) / 1000

    return {
        "engine": engine,
        "events": events,
        "queries": len(inside),
        "engine_s": round(engine_s, 3),
        "library_query_s": round(library_s, 3),
        "library_over_engine": round(library_s / engine_s, 3) if engine_s else None,
        "slowest": slowest[:10],
        "per_query": per_query,
    }


def _audit(
    url: str, month: str, runs: int
) -> tuple[dict[str, tuple[str, dict[str, Any]]], dict[str, list[float]]]:
    """Each query's SQL and bound values as the audit ran it; the library's times."""
    from nexus_audit import run_audit
    from nexus_audit.config import load_settings
    from nexus_audit.queries import load_queries

    queries = load_queries()
    statements: dict[str, tuple[str, dict[str, Any]]] = {}
    library: dict[str, list[float]] = {}

    for _ in range(runs):
        settings = load_settings().model_copy(update={"query_connections": 1})
        result = run_audit(url, month, settings=settings)
        for run in result.queries:
            if run.status != "ok":
                continue
            library.setdefault(run.name, []).append(run.duration_ms)
            query = queries[run.name]
            statements[run.name] = (query.sql, _values(query, run.parameters))

    return statements, library


def _values(query: Any, recorded: dict[str, Any]) -> dict[str, Any]:
    """The run record's values back in their declared types (it keeps times as text)."""
    kinds = {param.name: param.type for param in query.params}
    return {
        name: datetime.fromisoformat(value) if kinds.get(name) == "timestamp" else value
        for name, value in recorded.items()
    }


def _replay(
    url: str, statements: dict[str, tuple[str, Any]], runs: int
) -> dict[str, float]:
    """Median engine-measured milliseconds per query, with the audit's engine settings."""
    from nexus_audit.database import open_engine, snapshot
    from nexus_audit.runner import DUCKDB_SETTINGS

    engine = open_engine(url)
    measured: dict[str, float] = {}

    try:
        with snapshot(
            engine, statement_timeout_s=3600, lock_timeout_s=10
        ) as connection:
            timer = _postgres if connection.dialect.name == "postgresql" else _duckdb
            if timer is _duckdb:
                for setting, value in DUCKDB_SETTINGS.items():
                    connection.exec_driver_sql(f"SET {setting} = '{value}'")
            for name, (statement, parameters) in statements.items():
                times = [timer(connection, statement, parameters) for _ in range(runs)]
                measured[name] = statistics.median(times)
    finally:
        engine.dispose()

    return measured


def _postgres(connection: sa.Connection, statement: str, parameters: Any) -> float:
    explain = "EXPLAIN (ANALYZE, TIMING OFF, BUFFERS OFF, FORMAT JSON) " + statement
    with connection.begin_nested():
        plan = connection.execute(sa.text(explain), parameters).scalar_one()
    top = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
    return float(top["Planning Time"]) + float(top["Execution Time"])


def _duckdb(connection: sa.Connection, statement: str, parameters: Any) -> float:
    raw = connection.connection.driver_connection
    assert raw is not None
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "profile.json"
        raw.execute("PRAGMA enable_profiling = 'json'")
        raw.execute(f"PRAGMA profiling_output = '{output}'")
        try:
            connection.execute(sa.text(statement), parameters).fetchall()
            # Read before switching off: that statement would be profiled over it.
            profile = json.loads(output.read_text())
        finally:
            raw.execute("PRAGMA disable_profiling")

    return _duckdb_seconds(profile) * 1000


def _duckdb_seconds(profile: dict[str, Any]) -> float:
    """Execution plus planning, from DuckDB 1.x's or 2.x's profile layout."""
    if "query" in profile:
        parts = ("query", "planner", "optimizer", "physical_planner")
        return sum(float(profile.get(part, {}).get("total_time", 0)) for part in parts)
    return float(profile.get("latency", profile.get("timing", 0)))
