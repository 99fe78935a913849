"""Index advice: can the engine serve each audit query's time range from an index?

Nothing is run but ``EXPLAIN`` (never ``ANALYZE``), inside the audit's read-only
snapshot, and no index is ever created: the advice is printed for a DBA to apply.

PostgreSQL: a time column compared by itself with ``<``, ``<=``, ``>`` or ``>=`` (not
wrapped in a cast or a function) is what a B-tree index led by that column serves. For
each table scan of each plan the advice says whether an index does serve the range, or
could but the planner reads the table instead (right when the range covers most of it, as
"everything before the period end" does), or whether no index exists; a missing index on
a large table gets a ``CREATE INDEX`` statement. A large table read whole to keep at most
1 % of its rows by comparing a column with a constant (a rare event type, over the whole
history) gets an index led by that column, then the time column, where none is led by it.

DuckDB: its ART indexes serve point lookups and very selective filters, not ranges. A
range pushed into the table scan lets the zone maps (min and max per row group) skip the
row groups outside it, which works when rows are stored roughly in time order, as logs
are. The advice says whether each range reaches the scan.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from . import _plans
from ._plans import Scan, TableInfo
from .audit import _engine, _parameters, _period
from .config import Settings, load_settings
from .database import describe, inventory, snapshot
from .mapping import Mapping
from .queries import ParamValue, Query, load_queries
from .vocabulary import unknown_value_warnings

MIN_ROWS = 100_000
"""Tables with fewer rows are read whole as fast as through an index: no advice."""

SELECTIVE = 0.01
"""A whole-table read keeping at most this share of its rows is worth an index."""

SERVED = {"index", "zone_map", "small"}
LABELS = {
    "index": "index",
    "small": "small table, read whole",
    "index_not_chosen": "index usable, planner reads the table",
    "no_index": "no index",
    "zone_map": "zone maps (filter in the scan)",
    "not_pushed": "filter applied after the scan",
    "no_range": "no time range: whole table read",
    "filter_no_index": "whole table read for few rows: no index on its filter",
}


@dataclass(frozen=True)
class RangeUse:
    """How one query reads one table: by its time range through an index, or not."""

    table: str
    column: str | None
    status: str
    detail: str = ""

    @property
    def is_served(self) -> bool:
        return self.status in SERVED


@dataclass(frozen=True)
class QueryAdvice:
    """The tables one query reads and how its time ranges reach them."""

    query: str
    uses: tuple[RangeUse, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class Diagnosis:
    """Advice for every query, and the indexes recommended (never created here)."""

    database: str
    dialect: str
    queries: tuple[QueryAdvice, ...]
    statements: tuple[str, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())


def diagnose(
    database: str | None = None,
    month: str | None = None,
    *,
    settings: Settings | None = None,
    min_rows: int = MIN_ROWS,
) -> Diagnosis:
    """Plan every shipped query the database has tables for, and advise on indexes."""
    settings = settings or load_settings()
    period = _period(month, settings.time_zone)
    queries = list(load_queries().values())
    values = _parameters(queries, period, settings, datetime.now(UTC))
    mapping = Mapping.build(settings.mapping)
    engine = _engine(database, settings)

    try:
        with snapshot(
            engine,
            statement_timeout_s=settings.statement_timeout_seconds,
            lock_timeout_s=settings.lock_timeout_seconds,
        ) as connection:
            present = inventory(connection, mapping).present
            doctor = _Doctor(connection, mapping, min_rows)
            advice = tuple(
                doctor.advise(query, values[query.name])
                for query in queries
                if set(query.tables) <= present
            )
            statements = doctor.statements()
            warnings = unknown_value_warnings(connection, mapping, present)
    finally:
        engine.dispose()

    return Diagnosis(
        describe(engine.url), engine.dialect.name, advice, statements, warnings
    )


def _index_name(table: str, columns: tuple[str, ...]) -> str:
    """``ix_<table>_<columns>``; past PostgreSQL's 63 bytes, cut and told apart by a hash.

    Cut alone, two names for one long table would be the same, and ``IF NOT EXISTS``
    would silently skip the second index.
    """
    name = re.sub(r"\W", "_", "_".join(("ix", table, *columns)))
    if len(name.encode()) <= 63:
        return name

    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    return name.encode()[:54].decode(errors="ignore") + "_" + digest


class _Doctor:
    """Plans queries on one connection, remembering what it learnt of each table."""

    def __init__(self, connection: Connection, mapping: Mapping, min_rows: int) -> None:
        self.connection, self.mapping, self.min_rows = connection, mapping, min_rows
        self.is_postgres = connection.dialect.name == "postgresql"
        self.tables: dict[tuple[str, str], TableInfo] = {}
        self.missing: dict[tuple[str, tuple[str, ...]], str] = {}

    def advise(self, query: Query, values: dict[str, ParamValue]) -> QueryAdvice:
        sql, mapped = self.mapping.apply(
            query.sql, query.tables, self.connection.dialect
        )
        parameters = {**query.bind(values), **mapped}

        try:
            if self.is_postgres:
                uses = self._postgres(sql, parameters)
            else:
                uses = self._duckdb(sql, parameters)
        except SQLAlchemyError as error:
            if not self.is_postgres:
                self.connection.rollback()
            text = str(getattr(error, "orig", None) or error).strip()
            return QueryAdvice(query.name, error=text.splitlines()[0] if text else "")

        return QueryAdvice(query.name, tuple(dict.fromkeys(uses)))

    def statements(self) -> tuple[str, ...]:
        """The recommended indexes, leaving out one whose columns lead another's."""
        covered = {
            (table, columns[:size])
            for table, columns in self.missing
            for size in range(1, len(columns))
        }
        return tuple(
            sorted(text for key, text in self.missing.items() if key not in covered)
        )

    def _postgres(self, sql: str, parameters: dict[str, Any]) -> list[RangeUse]:
        uses: list[RangeUse] = []

        for scan in _plans.postgres_scans(self._explain(sql, parameters)):
            uses.extend(self._judge_postgres(scan, self._info(scan)))

        return uses

    def _judge_postgres(self, scan: Scan, info: TableInfo) -> Iterator[RangeUse]:
        """A bare ``<``/``>`` comparison of a column is what a B-tree index on it serves."""
        ranged = [
            c
            for c in info.time_columns
            if _plans.ranges(c, scan.alias, scan.conditions)
        ]
        if not ranged and info.is_large(self.min_rows):
            if scan.index_conditions:
                yield RangeUse(info.name, None, "index", scan.index or "")
            else:
                yield RangeUse(info.name, None, "no_range", info.size)

        for column in ranged:
            if _plans.ranges(column, scan.alias, scan.index_conditions):
                yield RangeUse(info.name, column, "index", scan.index or "")
            elif not info.is_large(self.min_rows):
                yield RangeUse(info.name, column, "small", info.size)
            elif column in info.indexes:
                yield RangeUse(
                    info.name, column, "index_not_chosen", info.indexes[column]
                )
            else:
                yield RangeUse(
                    info.name, column, "no_index", self._recommend(info, (column,))
                )

        yield from self._judge_filter(scan, info, ranged)

    def _judge_filter(
        self, scan: Scan, info: TableInfo, ranged: list[str]
    ) -> Iterator[RangeUse]:
        """Advise an index for a large table read whole to keep few rows by an equality.

        The rare event types looked up over the whole history are such reads: an index
        led by that column, then the time column, serves the look-up and its range.
        """
        keys = [
            c
            for c in _plans.equalities(scan.alias, scan.conditions)
            if c not in info.time_columns
        ]
        if not scan.whole_table or not keys or info.rows < self.min_rows:
            return
        if scan.rows > info.rows * SELECTIVE or any(k in info.indexes for k in keys):
            return

        columns = (keys[0], *ranged[:1])
        self._recommend(info, columns)
        yield RangeUse(
            info.name,
            ranged[0] if ranged else None,
            "filter_no_index",
            f"{keys[0]} keeps about {scan.rows:,.0f} of {info.rows:,} rows",
        )

    def _recommend(self, info: TableInfo, columns: tuple[str, ...]) -> str:
        quote = self.connection.dialect.identifier_preparer.quote
        index = _index_name(info.table, columns)
        self.missing[(info.name, columns)] = (
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {quote(index)} "
            f"ON {quote(info.schema)}.{quote(info.table)} "
            f"({', '.join(quote(column) for column in columns)});"
        )
        return info.size

    def _duckdb(self, sql: str, parameters: dict[str, Any]) -> list[RangeUse]:
        rows = self.connection.execute(
            sa.text(f"EXPLAIN (FORMAT JSON) {sql}"), parameters
        )
        plan = json.loads(rows.fetchall()[0][1])
        uses: list[RangeUse] = []

        for scan in _plans.duckdb_scans(plan):
            info = self._info(scan)
            pushed = [
                c for c in info.time_columns if _plans.ranges(c, None, scan.conditions)
            ]
            after = [
                c
                for c in info.time_columns
                if c not in pushed and _plans.ranges(c, None, scan.later_conditions)
            ]
            if not info.is_large(self.min_rows):
                uses.extend(
                    RangeUse(info.name, c, "small", info.size) for c in pushed + after
                )
                continue
            uses.extend(RangeUse(info.name, c, "zone_map") for c in pushed)
            uses.extend(RangeUse(info.name, c, "not_pushed") for c in after)
            if not pushed and not after:
                uses.append(RangeUse(info.name, None, "no_range", info.size))

        return uses

    def _explain(self, sql: str, parameters: dict[str, Any]) -> Any:
        """The plan only; a savepoint keeps a failure from ending the snapshot."""
        with self.connection.begin_nested():
            statement = sa.text(f"EXPLAIN (FORMAT JSON, VERBOSE) {sql}")
            return self.connection.execute(statement, parameters).scalar_one()

    def _info(self, scan: Scan) -> TableInfo:
        key = (scan.schema, scan.table)
        if key not in self.tables:
            self.tables[key] = self._sized(_plans.table_info(self.connection, scan))
        return self.tables[key]

    def _sized(self, info: TableInfo) -> TableInfo:
        """Count a table PostgreSQL never analysed, up to ``min_rows``.

        Without a count such a table reads as large, and a small one would be given an
        index it does not need.
        """
        if not self.is_postgres or info.rows >= 0:
            return info

        with self.connection.begin_nested():
            counted = _plans.counted_up_to(self.connection, info, self.min_rows)

        return replace(info, rows=counted) if counted < self.min_rows else info
