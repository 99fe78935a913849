"""Run named queries in one snapshot and return typed DataFrames with their timings.

A query whose tables are absent is not sent; a query that fails is recorded with its
error and the next one still runs (PostgreSQL queries run inside a savepoint so one
failure does not abort the snapshot transaction).

Rows come back in chunks of :data:`CHUNK_ROWS`, each typed as it arrives, so a large
result never sits in memory whole. PostgreSQL streams them in libpq's chunked-rows mode
(psycopg's ``Cursor.stream``), so the client never buffers the whole result; unlike a
server-side cursor (``DECLARE``, SQLAlchemy's ``stream_results``) this leaves the
planner free to use parallel workers, which it never does for cursors and which made
scan-heavy queries up to twice as slow. DuckDB hands rows over through its own cursor.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from .database import describe
from .errors import DatabaseError
from .faults import lost_connection
from .mapping import Mapping
from .queries import ParamValue, Query
from .query_columns import columns_read

log = logging.getLogger(__name__)

_DTYPES = {
    "integer": "Int64",
    "float": "Float64",
    "boolean": "boolean",
    "text": "string",
}

Progress = Callable[[str, int, int], None]

NOT_RUN = frozenset({"missing_table", "missing_column"})
"""Statuses of a query that was not sent because the data it reads is not there."""

CHUNK_ROWS = 10_000
"""Rows fetched and typed at a time."""

DUCKDB_SETTINGS = {"enable_progress_bar": "false", "memory_limit": "512MB"}
"""For the audit's queries on DuckDB, reset afterwards.

DuckDB draws a progress bar on standard output for queries over two seconds (library
code never prints), and by default keeps up to 80 % of the machine's memory, mostly as
cache of the blocks it read. With a 10M-event month the audit's process peaked at
1.28 GB under a 1 GB limit and at 0.83 GB under 512 MB, for 12 % more CPU time; the
limit keeps memory from growing with the data and the history read.
"""


@dataclass(frozen=True)
class Outcome:
    """What one query returned, or why it did not."""

    query: Query
    parameters: dict[str, ParamValue]
    status: str
    frame: pd.DataFrame
    duration_ms: float
    error: str | None = None


def run_queries(
    connections: Connection | Sequence[Connection],
    queries: Iterable[Query],
    values: dict[str, dict[str, ParamValue]],
    present_tables: frozenset[str],
    *,
    timeout_s: float,
    mapping: Mapping | None = None,
    progress: Progress | None = None,
) -> dict[str, Outcome]:
    """Run each query with its bound values; ``values`` maps query name to parameters.

    With several connections (all in one snapshot: :mod:`lanes`), each takes the next
    query as soon as it is free; the outcomes keep the order of ``queries``.
    """
    lanes = [connections] if isinstance(connections, Connection) else list(connections)
    queries = list(queries)

    def run(connection: Connection, query: Query) -> Outcome:
        return run_query(
            connection,
            query,
            values.get(query.name, {}),
            present_tables,
            timeout_s=timeout_s,
            mapping=mapping,
        )

    with ExitStack() as stack:
        for lane in lanes:
            stack.enter_context(_engine_settings(lane))
        if len(lanes) == 1:
            outcomes = _one_by_one(lanes[0], queries, run, progress)
        else:
            outcomes = _side_by_side(lanes, queries, run, progress)

    if progress:
        progress("done", len(queries), len(queries))

    log_not_run(outcomes, present_tables)
    return {query.name: outcomes[query.name] for query in queries}


Runner = Callable[[Connection, Query], Outcome]


def _one_by_one(
    connection: Connection, queries: list[Query], run: Runner, progress: Progress | None
) -> dict[str, Outcome]:
    outcomes = {}
    for index, query in enumerate(queries):
        if progress:
            progress(query.name, index, len(queries))
        outcomes[query.name] = run(connection, query)

    return outcomes


def _side_by_side(
    lanes: list[Connection], queries: list[Query], run: Runner, progress: Progress | None
) -> dict[str, Outcome]:
    """One thread per connection; an error that ends the audit cancels the others' work.

    Progress is reported from the calling thread, as each query ends.
    """
    waiting: queue.SimpleQueue[Query] = queue.SimpleQueue()
    for query in queries:
        waiting.put(query)
    ended: queue.SimpleQueue[tuple[Query, Outcome | BaseException]] = queue.SimpleQueue()
    stop = threading.Event()

    def work(connection: Connection) -> None:
        while not stop.is_set():
            try:
                query = waiting.get_nowait()
            except queue.Empty:
                return
            try:
                ended.put((query, run(connection, query)))
            except BaseException as error:  # handed to the calling thread, raised there
                ended.put((query, error))
                return

    threads = [
        threading.Thread(target=work, args=(lane,), name=f"nexus-audit-query-{number}")
        for number, lane in enumerate(lanes, start=1)
    ]
    for thread in threads:
        thread.start()

    outcomes: dict[str, Outcome] = {}
    try:
        while len(outcomes) < len(queries):
            query, outcome = ended.get()
            if isinstance(outcome, BaseException):
                raise outcome
            outcomes[query.name] = outcome
            if progress:
                progress(query.name, len(outcomes), len(queries))
    except BaseException:
        stop.set()
        _cancel(lanes)
        raise
    finally:
        for thread in threads:
            thread.join()

    return outcomes


def _cancel(lanes: list[Connection]) -> None:
    """Ask the engine to stop whatever each connection is running."""
    for lane in lanes:
        try:
            driver = lane.connection.driver_connection
            if driver is None:
                continue
            if lane.dialect.name == "postgresql":
                driver.cancel_safe()
            elif lane.dialect.name == "duckdb":
                driver.interrupt()
        except Exception as error:  # noqa: BLE001 - cancelling is best effort
            log.debug("could not cancel a running query: %s", error)


def log_not_run(outcomes: dict[str, Outcome], present_tables: frozenset[str]) -> None:
    """One warning for every query left unrun, where each had its own line at INFO."""
    not_run = sorted(name for name, o in outcomes.items() if o.status in NOT_RUN)
    if not not_run:
        return

    tables = {
        table
        for name in not_run
        for table in outcomes[name].query.tables
        if table not in present_tables
    }
    columns = [n for n in not_run if outcomes[n].status == "missing_column"]
    log.warning(
        "%d optional table(s) absent and %d query(ies) reading an absent mapped column; "
        "%d queries read 'no data': %s (-v lists why each)",
        len(tables),
        len(columns),
        len(not_run),
        ", ".join(not_run),
    )


def run_query(
    connection: Connection,
    query: Query,
    values: dict[str, ParamValue],
    present_tables: frozenset[str],
    *,
    timeout_s: float,
    mapping: Mapping | None = None,
) -> Outcome:
    """Run one query; absent tables or columns and errors become an outcome."""
    parameters = query.bind(values)
    mapping = mapping or Mapping({})
    not_run = why_not_run(query, present_tables, mapping)

    if not_run is not None:
        status, reason = not_run
        log.info("query %s not run: %s", query.name, reason)
        return Outcome(query, parameters, status, empty_frame(query), 0.0, reason)

    sql, mapped = mapping.apply(query.sql, query.tables, connection.dialect)
    log.debug("query %s: %s with %r", query.name, sql, parameters)
    started = time.perf_counter()

    try:
        with _guarded(connection, timeout_s):
            chunks = typed_chunks(connection, query, sql, {**parameters, **mapped})
            frame = _concat(query, list(chunks))
    except SQLAlchemyError as error:
        if _is_disconnect(error):
            database = describe(connection.engine.url)
            detail = _error_text(error, timeout_s)
            raise DatabaseError(
                lost_connection(database, query.name, detail)
            ) from error
        elapsed = (time.perf_counter() - started) * 1000
        message = _error_text(error, timeout_s)
        log.warning("query %s failed after %.0f ms: %s", query.name, elapsed, message)
        return Outcome(query, parameters, "error", empty_frame(query), elapsed, message)

    elapsed = (time.perf_counter() - started) * 1000
    log.info("query %s: %d rows in %.0f ms", query.name, len(frame), elapsed)

    return Outcome(query, parameters, "ok", frame, elapsed)


def why_not_run(
    query: Query, present_tables: frozenset[str], mapping: Mapping
) -> tuple[str, str] | None:
    """Why ``query`` cannot be judged on this database, if it cannot: absent data."""
    absent = [table for table in query.tables if table not in present_tables]
    if absent:
        return "missing_table", f"table(s) {', '.join(absent)} absent"

    entries = [mapping.tables[t] for t in query.tables if t in mapping.tables]
    declared = any(entry.absent for entry in entries)
    columns = mapping.absent_read(columns_read(query)) if declared else []
    if columns:
        named = "; ".join(
            f"column {table}.{column} is absent (mapping.{table}.absent)"
            for table, column in columns
        )
        return "missing_column", named

    return None


def typed_chunks(
    connection: Connection,
    query: Query,
    sql: str,
    parameters: dict[str, object],
    *,
    chunk_rows: int | None = None,
) -> Iterator[pd.DataFrame]:
    """The result of ``sql`` as typed frames of at most ``chunk_rows`` rows each.

    Chunked reads are only chunked if the driver streams: a plain psycopg cursor pulls
    the whole result to the client first (pandas-dev/pandas#35689).
    """
    size = chunk_rows or CHUNK_ROWS
    if connection.dialect.name == "postgresql":
        chunks = _streamed(connection, sql, parameters, size)
    else:
        chunks = _fetched(connection, sql, parameters, size)

    for rows in chunks:
        yield typed_frame(query, rows)


def _fetched(
    connection: Connection, sql: str, parameters: dict[str, object], size: int
) -> Iterator[Sequence[Sequence[object]]]:
    with connection.execute(sa.text(sql), parameters) as result:
        yield from result.partitions(size)


def _streamed(
    connection: Connection, sql: str, parameters: dict[str, object], size: int
) -> Iterator[Sequence[Sequence[object]]]:
    """psycopg's stream, ``size`` rows per round, its errors raised as SQLAlchemy's."""
    compiled = sa.text(sql).compile(dialect=connection.dialect)
    statement, values = compiled.string, compiled.construct_params(parameters)
    driver = connection.connection.driver_connection
    assert driver is not None
    dbapi = connection.dialect.loaded_dbapi

    try:
        with driver.cursor() as cursor:
            rows = cursor.stream(statement, values, size=size)
            while chunk := list(itertools.islice(rows, size)):
                yield chunk
    except dbapi.Error as error:
        raise sa.exc.DBAPIError.instance(
            statement, values, error, dbapi.Error, dialect=connection.dialect
        ) from error


def _concat(query: Query, chunks: list[pd.DataFrame]) -> pd.DataFrame:
    if not chunks:
        return empty_frame(query)
    if len(chunks) == 1:
        return chunks[0]

    return pd.concat(chunks, ignore_index=True)


def empty_frame(query: Query) -> pd.DataFrame:
    """A frame with the query's declared columns and types and no rows."""
    return typed_frame(query, [])


def typed_frame(query: Query, rows: Sequence[Sequence[object]]) -> pd.DataFrame:
    """Rows as a DataFrame with the declared column types, whatever the engine sent."""
    names = [name for name, _ in query.columns]
    raw = pd.DataFrame([tuple(row) for row in rows], columns=names, dtype=object)

    return pd.DataFrame({name: _cast(raw[name], kind) for name, kind in query.columns})


def _cast(values: pd.Series, kind: str) -> pd.Series:
    if kind == "timestamp":
        return pd.to_datetime(values, utc=True).astype("datetime64[us, UTC]")
    if kind == "date":
        return pd.to_datetime(values).astype("datetime64[us]")
    if kind == "integer":
        return pd.to_numeric(values).astype("Int64")
    if kind == "float":
        return pd.to_numeric(values).astype("Float64")
    return values.astype(_DTYPES[kind])  # type: ignore[call-overload, no-any-return]


@contextmanager
def _engine_settings(connection: Connection) -> Iterator[None]:
    """:data:`DUCKDB_SETTINGS` while the queries run (DuckDB's memory limit is global)."""
    if connection.dialect.name != "duckdb":
        yield
        return

    for name, value in DUCKDB_SETTINGS.items():
        connection.exec_driver_sql(f"SET {name} = '{value}'")
    try:
        yield
    finally:
        for name in DUCKDB_SETTINGS:
            connection.exec_driver_sql(f"RESET {name}")


@contextmanager
def _guarded(connection: Connection, timeout_s: float) -> Iterator[None]:
    """A savepoint on PostgreSQL; an interrupt timer on DuckDB, which has no timeout."""
    if connection.dialect.name == "postgresql":
        with connection.begin_nested():
            yield
        return

    if connection.dialect.name != "duckdb":
        yield
        return

    driver = connection.connection.driver_connection
    assert driver is not None
    timer = threading.Timer(timeout_s, driver.interrupt)
    timer.start()
    try:
        yield
    except SQLAlchemyError:
        connection.rollback()
        raise
    finally:
        timer.cancel()


def _is_disconnect(error: SQLAlchemyError) -> bool:
    """True when the connection itself died (server gone, backend terminated)."""
    if isinstance(error, sa.exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, sa.exc.PendingRollbackError)


def _error_text(error: SQLAlchemyError, timeout_s: float) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    first = text.splitlines()[0] if text else type(error).__name__

    if "statement timeout" in text or "INTERRUPT" in text.upper():
        return f"cancelled after the {timeout_s:g} s query time limit ({first})"

    return first


def iso(value: ParamValue) -> str | int | float | bool:
    """A bound value as the report prints it."""
    if isinstance(value, datetime):
        return value.isoformat()
    return value
