"""Query results arrive in chunks of the size asked for, and a failure mid-read is contained.

Field failure D.15: ``read_sql(chunksize=...)`` without streaming still pulls the whole
result to the client, and DuckDB once handed back 1,024-row chunks when 100 were asked
for. 1,050 attempts read 100 at a time must come as ten chunks of 100 and one of 50, on
PostgreSQL (psycopg's chunked stream) and DuckDB (its cursor) alike.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from nexus_audit import runner
from nexus_audit.database import snapshot
from nexus_audit.model import metadata
from nexus_audit.queries import Param, Query
from nexus_audit.runner import run_queries, run_query, typed_chunks

from .conftest import Backend

ROWS = 1_050
ATTEMPTS = (
    "INSERT INTO login_attempts (id, user_id, username, created_at, success) "
    "SELECT g, CASE WHEN MOD(g, 7) = 0 THEN NULL ELSE g END, 'user-' || CAST(g AS VARCHAR), "
    "TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00+00' + CAST(g AS INTEGER) * INTERVAL "
    "'1 minute', MOD(g, 2) = 0 FROM generate_series(1, 1050) AS s(g)"
)
SQL = (
    "SELECT id, user_id, username, created_at, success FROM login_attempts "
    "WHERE created_at >= :period_start ORDER BY id"
)
QUERY = Query(
    name="every_attempt",
    description="Every attempt, one row each.",
    tables=("login_attempts",),
    state="period",
    params=(Param("period_start", "timestamp"),),
    columns=(
        ("id", "integer"),
        ("user_id", "integer"),
        ("username", "text"),
        ("created_at", "timestamp"),
        ("success", "boolean"),
    ),
    sql=SQL,
    path=Path("every_attempt.sql"),
)
START = {"period_start": datetime(2026, 11, 1, tzinfo=UTC)}


def _filled(backend: Backend) -> sa.Engine:
    engine = backend.engine()
    metadata.create_all(engine, tables=[metadata.tables["login_attempts"]])
    with engine.begin() as connection:
        connection.exec_driver_sql(ATTEMPTS)
    return engine


def test_chunks_have_the_size_asked_for_and_add_up(backend: Backend) -> None:
    engine = _filled(backend)
    sizes = []

    with snapshot(engine, statement_timeout_s=30, lock_timeout_s=5) as connection:
        for chunk in typed_chunks(connection, QUERY, SQL, START, chunk_rows=100):
            sizes.append(len(chunk))
            assert str(chunk["user_id"].dtype) == "Int64"
            assert str(chunk["created_at"].dtype) == "datetime64[us, UTC]"
    engine.dispose()

    assert sizes == [100] * 10 + [50]


def test_a_failure_after_the_first_chunks_leaves_the_snapshot_usable(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = _filled(backend)
    monkeypatch.setattr(runner, "CHUNK_ROWS", 100)
    # Rows past id 600 fail to convert: the query fails while its result is read.
    failing = replace(
        QUERY,
        sql=SQL.replace(
            "SELECT id,",
            "SELECT CAST(CASE WHEN id > 600 THEN 'x' ELSE CAST(id AS VARCHAR) END "
            "AS INTEGER) AS id,",
        ),
    )
    present = frozenset({"login_attempts"})

    with snapshot(engine, statement_timeout_s=30, lock_timeout_s=5) as connection:
        broken = run_query(connection, failing, START, present, timeout_s=30)
        after = run_query(connection, QUERY, START, present, timeout_s=30)
    engine.dispose()

    assert broken.status == "error"
    assert broken.frame.empty
    assert "x" in (broken.error or "")
    assert after.status == "ok"
    assert len(after.frame) == ROWS


def test_a_chunked_result_is_one_typed_frame(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = _filled(backend)
    monkeypatch.setattr(runner, "CHUNK_ROWS", 100)

    with snapshot(engine, statement_timeout_s=30, lock_timeout_s=5) as connection:
        outcome = run_query(
            connection, QUERY, START, frozenset({"login_attempts"}), timeout_s=30
        )
    engine.dispose()

    frame = outcome.frame
    assert outcome.status == "ok"
    assert len(frame) == ROWS
    assert list(frame.index) == list(range(ROWS))
    assert frame["id"].tolist() == list(range(1, ROWS + 1))
    # Every 7th attempt has no user: 150 of 1,050.
    assert int(frame["user_id"].isna().sum()) == 150
    assert int(frame["success"].sum()) == 525


def test_duckdb_draws_no_progress_bar_and_gets_its_settings_back(
    duckdb_backend: Backend,
) -> None:
    engine = _filled(duckdb_backend)
    settings = replace(
        QUERY,
        name="settings",
        params=(),
        columns=(("bar", "text"), ("memory", "text")),
        sql="SELECT current_setting('enable_progress_bar') AS bar, "
        "current_setting('memory_limit') AS memory",
    )
    read = (
        "SELECT current_setting('enable_progress_bar'), current_setting('memory_limit')"
    )

    with snapshot(engine, statement_timeout_s=30, lock_timeout_s=5) as connection:
        before = tuple(connection.exec_driver_sql(read).one())
        during = run_queries(
            connection, [settings], {}, frozenset({"login_attempts"}), timeout_s=30
        )["settings"].frame
        after = tuple(connection.exec_driver_sql(read).one())
    engine.dispose()

    # DuckDB states 512 MB (512,000,000 bytes) in MiB: 512e6 / 2**20 = 488.28.
    assert during.iloc[0].tolist() == ["False", "488.2 MiB"]
    assert after == before
    assert before[1] != "488.2 MiB"
