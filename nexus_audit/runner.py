"""Run named queries in one snapshot and return typed DataFrames with their timings.

A query whose tables are absent is not sent; a query that fails is recorded with its
error and the next one still runs (PostgreSQL queries run inside a savepoint so one
failure does not abort the snapshot transaction).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from .mapping import Mapping
from .queries import ParamValue, Query

log = logging.getLogger(__name__)

_DTYPES = {
    "integer": "Int64",
    "float": "Float64",
    "boolean": "boolean",
    "text": "string",
}

Progress = Callable[[str, int, int], None]


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
    connection: Connection,
    queries: Iterable[Query],
    values: dict[str, dict[str, ParamValue]],
    present_tables: frozenset[str],
    *,
    timeout_s: float,
    mapping: Mapping | None = None,
    progress: Progress | None = None,
) -> dict[str, Outcome]:
    """Run each query with its bound values; ``values`` maps query name to parameters."""
    queries = list(queries)
    outcomes: dict[str, Outcome] = {}

    for index, query in enumerate(queries):
        if progress:
            progress(query.name, index, len(queries))
        outcomes[query.name] = run_query(
            connection,
            query,
            values.get(query.name, {}),
            present_tables,
            timeout_s=timeout_s,
            mapping=mapping,
        )

    if progress:
        progress("done", len(queries), len(queries))

    return outcomes


def run_query(
    connection: Connection,
    query: Query,
    values: dict[str, ParamValue],
    present_tables: frozenset[str],
    *,
    timeout_s: float,
    mapping: Mapping | None = None,
) -> Outcome:
    """Run one query; absent tables and errors become an outcome, not an exception."""
    parameters = query.bind(values)
    absent = [table for table in query.tables if table not in present_tables]

    if absent:
        log.warning(
            "query %s not run: table(s) %s absent", query.name, ", ".join(absent)
        )
        return Outcome(
            query,
            parameters,
            "missing_table",
            empty_frame(query),
            0.0,
            f"table(s) {', '.join(absent)} absent",
        )

    sql, mapped = (mapping or Mapping({})).apply(query.sql, query.tables, connection.dialect)
    log.debug("query %s: %s with %r", query.name, sql, parameters)
    started = time.perf_counter()

    try:
        with _guarded(connection, timeout_s):
            rows = connection.execute(sa.text(sql), {**parameters, **mapped}).fetchall()
    except SQLAlchemyError as error:
        elapsed = (time.perf_counter() - started) * 1000
        message = _error_text(error, timeout_s)
        log.warning("query %s failed after %.0f ms: %s", query.name, elapsed, message)
        return Outcome(query, parameters, "error", empty_frame(query), elapsed, message)

    elapsed = (time.perf_counter() - started) * 1000
    frame = typed_frame(query, rows)
    log.info("query %s: %d rows in %.0f ms", query.name, len(frame), elapsed)

    return Outcome(query, parameters, "ok", frame, elapsed)


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
