"""Queries on several connections read one state, give what one connection gives, and stop
together.

A row committed after the audit began must be invisible to every connection the audit
opens later; where the snapshot cannot be shared, the audit keeps the connections that
do share it and says so.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from nexus_audit import Period, run_audit
from nexus_audit.config import Settings, load_settings
from nexus_audit.database import open_engine, snapshot
from nexus_audit.demo import build_demo
from nexus_audit.errors import ConfigError
from nexus_audit.lanes import lanes
from nexus_audit.queries import Query
from nexus_audit.runner import Outcome, _side_by_side, empty_frame

from .conftest import Backend
from .test_runner_chunks import QUERY, _filled

MONTH = Period.month(2026, 11)
COUNT = "SELECT COUNT(*) FROM login_attempts"
LATE_ROW = (
    "INSERT INTO login_attempts (id, username, created_at, success) "
    "VALUES (5000, 'late', TIMESTAMP WITH TIME ZONE '2026-11-30 12:00:00+00', false)"
)


def test_postgres_connections_opened_later_see_the_first_ones_snapshot(
    postgres_backend: Backend,
) -> None:
    writer = _filled(postgres_backend)
    engine = open_engine(postgres_backend.url)

    with snapshot(engine, statement_timeout_s=30, lock_timeout_s=5) as first:
        before = first.exec_driver_sql(COUNT).scalar()
        with writer.begin() as connection:
            connection.exec_driver_sql(LATE_ROW)
        with lanes(engine, first, 3, statement_timeout_s=30, lock_timeout_s=5) as opened:
            counts = [lane.exec_driver_sql(COUNT).scalar() for lane in opened]
    with writer.connect() as connection:
        after = connection.exec_driver_sql(COUNT).scalar()
    engine.dispose()
    writer.dispose()

    assert (before, after) == (1_050, 1_051)
    assert counts == [1_050, 1_050, 1_050]


def test_every_postgres_connection_has_the_audits_settings(
    postgres_backend: Backend,
) -> None:
    _filled(postgres_backend).dispose()
    engine = open_engine(postgres_backend.url)
    read = (
        "SELECT current_setting('transaction_isolation'), "
        "current_setting('transaction_read_only'), current_setting('statement_timeout'), "
        "current_setting('TimeZone'), current_setting('jit')"
    )

    with (
        snapshot(engine, statement_timeout_s=30, lock_timeout_s=5) as first,
        lanes(engine, first, 2, statement_timeout_s=30, lock_timeout_s=5) as opened,
    ):
        seen = [tuple(lane.exec_driver_sql(read).one()) for lane in opened]
    engine.dispose()

    assert seen == [("repeatable read", "on", "30s", "UTC", "off")] * 2


def test_a_refused_snapshot_import_keeps_the_connections_that_share_it(
    postgres_backend: Backend, caplog: pytest.LogCaptureFixture
) -> None:
    """PostgreSQL refuses a snapshot exported in another database."""
    _filled(postgres_backend).dispose()
    engine = open_engine(postgres_backend.url)
    elsewhere = open_engine(make_url(postgres_backend.url).set(database="postgres"))

    with (
        caplog.at_level(logging.WARNING, logger="nexus_audit.lanes"),
        snapshot(engine, statement_timeout_s=30, lock_timeout_s=5) as first,
        lanes(elsewhere, first, 2, statement_timeout_s=30, lock_timeout_s=5) as opened,
    ):
        count = opened[0].exec_driver_sql(COUNT).scalar()
    engine.dispose()
    elsewhere.dispose()

    assert len(opened) == 1 and count == 1_050
    assert "queries run on 1 connection(s), not 2" in caplog.text
    assert "different database" in caplog.text


def test_an_engine_that_lends_one_connection_runs_every_query_on_it(
    postgres_backend: Backend,
) -> None:
    """A caller's engine with a StaticPool would hand the first connection out again."""
    _filled(postgres_backend).dispose()
    engine = sa.create_engine(postgres_backend.url, poolclass=StaticPool)

    with (
        snapshot(engine, statement_timeout_s=30, lock_timeout_s=5) as first,
        lanes(engine, first, 2, statement_timeout_s=30, lock_timeout_s=5) as opened,
    ):
        count = opened[0].exec_driver_sql(COUNT).scalar()
    engine.dispose()

    assert len(opened) == 1 and count == 1_050


def test_duckdb_shares_a_read_only_file_only(duckdb_backend: Backend) -> None:
    _filled(duckdb_backend).dispose()
    read_only = open_engine(duckdb_backend.url)
    writable = open_engine(duckdb_backend.url, read_only=False)
    sizes = []

    for engine in (read_only, writable):
        with (
            snapshot(engine, statement_timeout_s=30, lock_timeout_s=5) as first,
            lanes(engine, first, 2, statement_timeout_s=30, lock_timeout_s=5) as opened,
        ):
            sizes.append([lane.exec_driver_sql(COUNT).scalar() for lane in opened])
        engine.dispose()

    assert sizes == [[1_050, 1_050], [1_050]]


def test_two_connections_give_what_one_gives(backend: Backend) -> None:
    build_demo(backend.url, MONTH, events=30_000)
    one = run_audit(backend.url, MONTH, settings=Settings(query_connections=1))
    two = run_audit(backend.url, MONTH, settings=Settings(query_connections=2))

    assert list(two.evidence) == list(one.evidence)
    for name in one.evidence:
        pd.testing.assert_frame_equal(two.frame(name), one.frame(name), obj=name)
    assert [(c.control_id, c.status, c.finding_count) for c in two.controls] == [
        (c.control_id, c.status, c.finding_count) for c in one.controls
    ]
    assert [q.name for q in two.queries] == [q.name for q in one.queries]


def test_an_error_that_ends_the_audit_stops_the_other_connection(
    duckdb_backend: Backend,
) -> None:
    """The first query fails as a lost connection would; the other lane takes no more."""
    _filled(duckdb_backend).dispose()
    engine = open_engine(duckdb_backend.url)
    ran: list[str] = []
    failed = threading.Event()
    queries = [replace(QUERY, name=f"q{number}") for number in range(20)]

    def run(connection: sa.Connection, query: Query) -> Outcome:
        if query.name == "q0":
            failed.set()
            raise KeyboardInterrupt
        failed.wait(5)
        time.sleep(0.2)  # the calling thread has long seen the interrupt by now
        ran.append(query.name)
        return Outcome(query, {}, "ok", empty_frame(query), 0.0)

    with (
        snapshot(engine, statement_timeout_s=30, lock_timeout_s=5) as first,
        lanes(engine, first, 2, statement_timeout_s=30, lock_timeout_s=5) as opened,
        pytest.raises(KeyboardInterrupt),
    ):
        _side_by_side(opened, queries, run, None)
    engine.dispose()

    assert ran == ["q1"]


def test_query_connections_below_one_is_refused_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('organisation = "A"\nquery_connections = 0\n', encoding="utf-8")

    with pytest.raises(ConfigError, match=r"query_connections.*s.toml:2"):
        load_settings(path)
