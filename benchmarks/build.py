"""Demo generation: ``build_demo`` at each size, on each engine, in a child process.

PostgreSQL gets each size in a schema of its own (``nexus_bench_<events>``), vacuumed and
analysed after the load as autovacuum would leave a real database; the vacuum is timed
apart. A marker (a file beside the DuckDB file, a comment on the schema) says which demo
a database holds, so the other parts build one only when it is missing.
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from .common import (
    SEED,
    Database,
    Options,
    child,
    database,
    run_child,
    stamp,
    summary,
    write_part,
)

KEYS = ("wall_s", "peak_rss_mb", "build_s", "vacuum_s")


def run(options: Options) -> list[dict[str, Any]]:
    """Build every size on every engine ``runs`` times; the last build is kept."""
    entries = []

    for events in options.events:
        for engine in options.engines:
            target = database(options, engine, events)
            runs = [_build(options, target) for _ in range(options.runs)]
            entry = {"engine": engine, "events": events} | summary(runs, KEYS)
            entries.append(stamp(entry))

    write_part(options, "build", entries, ("engine", "events"))
    return entries


def ensure_built(options: Options, engine: str, events: int) -> Database:
    """The demo of this size, built first if no complete one is there."""
    target = database(options, engine, events)
    if _marker(options, target) != _expected(options, target):
        _build(options, target)
    return target


def _build(options: Options, target: Database) -> dict[str, Any]:
    _prepare(options, target)
    run = run_child(child("build", target.url, options.month, target.events))
    vacuum_s = _finish(options, target)

    return {
        "wall_s": round(run.wall_s, 3),
        "peak_rss_mb": round(run.peak_rss_mb, 1),
        "vacuum_s": vacuum_s,
        **run.reported(),
    }


def _expected(options: Options, target: Database) -> str:
    return f"nexus-audit demo month={options.month} events={target.events} seed={SEED}"


def _prepare(options: Options, target: Database) -> None:
    """An empty place for the build, with no marker until it is complete."""
    if target.engine == "duckdb":
        options.work.mkdir(parents=True, exist_ok=True)
        _marker_file(options, target).unlink(missing_ok=True)
        return

    with _admin(options) as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {target.schema}")
        connection.exec_driver_sql(f"COMMENT ON SCHEMA {target.schema} IS NULL")


def _finish(options: Options, target: Database) -> float | None:
    """Vacuum and analyse PostgreSQL's tables, then mark the build complete."""
    if target.engine == "duckdb":
        _marker_file(options, target).write_text(_expected(options, target))
        return None

    started = time.perf_counter()
    with _admin(options) as connection:
        tables = connection.execute(
            sa.text("SELECT tablename FROM pg_tables WHERE schemaname = :schema"),
            {"schema": target.schema},
        ).scalars()
        for table in list(tables):
            connection.exec_driver_sql(f'VACUUM (ANALYZE) {target.schema}."{table}"')
        seconds = time.perf_counter() - started
        connection.execute(
            sa.text(
                f"COMMENT ON SCHEMA {target.schema} IS {_literal(_expected(options, target))}"
            )
        )

    return round(seconds, 3)


def _marker(options: Options, target: Database) -> str | None:
    if target.engine == "duckdb":
        path = _marker_file(options, target)
        return path.read_text() if path.exists() else None

    with _admin(options) as connection:
        found = connection.execute(
            sa.text(
                "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace "
                "WHERE nspname = :schema"
            ),
            {"schema": target.schema},
        ).scalar()
    return str(found) if found else None


def _marker_file(options: Options, target: Database) -> Any:
    return options.work / f"demo-{target.events}.marker"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class _admin:
    """An autocommit connection to the benchmark's PostgreSQL database (VACUUM needs it)."""

    def __init__(self, options: Options) -> None:
        self.engine = sa.create_engine(make_url(options.postgres_url))

    def __enter__(self) -> sa.Connection:
        self.connection = self.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        )
        return self.connection

    def __exit__(self, *exc: object) -> None:
        self.connection.close()
        self.engine.dispose()


def clean(options: Options) -> list[str]:
    """Drop every benchmark schema and delete the work folder; returns what went."""
    gone = []
    if "postgres" in options.engines:
        with _admin(options) as connection:
            schemas = connection.execute(
                sa.text(
                    "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'nexus_bench_%'"
                )
            ).scalars()
            for schema in list(schemas):
                connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
                gone.append(f"schema {schema}")

    if options.work.exists():
        for path in sorted(options.work.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        options.work.rmdir()
        gone.append(str(options.work))

    return gone
