"""The audit on Apache Spark, over a folder of Parquet tables or the session's catalog.

Each model table becomes a temporary view of the model's columns over its source: the
sub-folder ``<parquet>/<table>`` (Hive-style month partitions such as
``created_month=2026-11`` included) or the catalog table ``<schema>.<table>``. A mapping
renames and translates columns in that view, as the CTEs do on SQLAlchemy engines. The
shipped queries run translated to Spark SQL (:mod:`.spark_sql`) with their values bound
as named parameters; only their results, which are aggregates and findings, come back to
the driver, as Arrow batches.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
from py4j.protocol import Py4JError
from pyspark.errors import PySparkException
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from sqlalchemy import BigInteger, Boolean, Date, DateTime, Float, Integer

from ..database import Inventory, check_tables
from ..errors import DatabaseError
from ..mapping import Mapping
from ..model import metadata
from ..queries import ParamValue, Query
from ..runner import (
    Outcome,
    Progress,
    empty_frame,
    log_not_run,
    typed_frame,
    why_not_run,
)
from .spark_months import MONTH_COLUMN, MONTHLY_TABLES, MONTHS_SUFFIX
from .spark_sql import SparkQuery, translate_all

log = logging.getLogger(__name__)

SESSION_SETTINGS = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.execution.arrow.pyspark.fallback.enabled": "false",
}
"""Set on the session while the audit runs, then restored: timestamps compare in UTC
and results reach the driver through Arrow."""

LOCAL_SETTINGS = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "8",
    "spark.sql.adaptive.enabled": "true",
}
"""For a session this module starts: no web UI, few shuffle partitions (adaptive query
execution coalesces them further on a cluster)."""


def open_session(master: str | None = None) -> SparkSession:
    """A Spark session: local on every core, a cluster master, or Spark Connect (sc://)."""
    builder = SparkSession.builder.appName("nexus-audit")

    if master and master.startswith("sc://"):
        return builder.remote(master).getOrCreate()

    builder = builder.master(master or "local[*]")
    for name, value in {**LOCAL_SETTINGS, **SESSION_SETTINGS}.items():
        builder = builder.config(name, value)

    try:
        session = builder.getOrCreate()
    except Exception as error:  # noqa: BLE001 - Java gateway failures are plain errors
        raise DatabaseError(
            f"cannot start a Spark session on {master or 'local[*]'}: "
            f"{_first_line(error)}; Spark needs Java 17 or 21 on the PATH or JAVA_HOME"
        ) from error

    # Spark's own warnings (a window without PARTITION BY, say) would flood the terminal.
    session.sparkContext.setLogLevel("ERROR")
    return session


@dataclass
class SparkEngine:
    """The model's tables as Spark sees them, from Parquet folders or a catalog schema.

    Build it with :func:`nexus_audit.engines.spark_engine`, which checks the source.
    """

    session: SparkSession
    parquet: Path | None = None
    catalog_schema: str | None = None

    @property
    def description(self) -> str:
        """``spark:parquet:<folder>`` or ``spark:catalog:<schema>``."""
        if self.parquet is not None:
            return f"spark:parquet:{Path(self.parquet).resolve()}"
        return f"spark:catalog:{self.catalog_schema}"

    def run(
        self,
        queries: Sequence[Query],
        values: dict[str, dict[str, ParamValue]],
        mapping: Mapping,
        *,
        timeout_s: float,
        progress: Progress | None = None,
    ) -> tuple[Inventory, str, dict[str, Outcome]]:
        """Translate every query first, then run each on the session's temporary views."""
        translated = translate_all(list(queries))

        with _settings(self.session, SESSION_SETTINGS):
            tables = self.inventory(mapping)
            outcomes: dict[str, Outcome] = {}
            for index, query in enumerate(queries):
                if progress:
                    progress(query.name, index, len(queries))
                outcomes[query.name] = self._run_query(
                    query,
                    translated[query.name],
                    values.get(query.name, {}),
                    tables.present,
                    mapping,
                    timeout_s,
                )

        if progress:
            progress("done", len(queries), len(queries))

        log_not_run(outcomes, tables.present)
        return tables, f"spark {self.session.version}", outcomes

    def inventory(self, mapping: Mapping) -> Inventory:
        """Which model tables exist, checked like a database's; each becomes a view."""
        frames = {
            name: frame
            for name in metadata.tables
            if (frame := self._source(name, mapping)) is not None
        }
        tables = check_tables(
            {name: dict(frame.dtypes) for name, frame in frames.items()},
            mapping,
            self.description,
        )

        for name in tables.present:
            columns = _model_columns(frames[name], name, mapping)
            frames[name].select(*columns).createOrReplaceTempView(name)
            if name in MONTHLY_TABLES:
                months = _with_month(frames[name], columns)
                months.createOrReplaceTempView(name + MONTHS_SUFFIX)

        return tables

    def _source(self, model_table: str, mapping: Mapping) -> DataFrame | None:
        schema, table = mapping.source(model_table)

        if self.parquet is not None:
            folder = Path(self.parquet) / table
            if not folder.is_dir() or not any(folder.rglob("*.parquet")):
                return None
            return self.session.read.parquet(str(folder))

        name = f"`{schema or self.catalog_schema}`.`{table}`"
        if not self.session.catalog.tableExists(name.replace("`", "")):
            return None
        return self.session.table(name)

    def _run_query(
        self,
        query: Query,
        translated: SparkQuery,
        values: dict[str, ParamValue],
        present: frozenset[str],
        mapping: Mapping,
        timeout_s: float,
    ) -> Outcome:
        parameters = query.bind(values)
        not_run = why_not_run(query, present, mapping)

        if not_run is not None:
            status, reason = not_run
            log.info("query %s not run: %s", query.name, reason)
            return Outcome(query, parameters, status, empty_frame(query), 0.0, reason)

        sql, args = translated.bind(parameters)
        log.debug("query %s on Spark: %s with %r", query.name, sql, args)
        started = time.perf_counter()

        try:
            with _time_limit(self.session, timeout_s):
                result = self.session.sql(sql, args=args).toArrow()
            frame = _typed(query, result)
        except (PySparkException, Py4JError, ValueError, TypeError) as error:
            elapsed = (time.perf_counter() - started) * 1000
            message = _first_line(error)
            log.warning("query %s failed after %.0f ms: %s", query.name, elapsed, message)
            return Outcome(query, parameters, "error", empty_frame(query), elapsed, message)

        elapsed = (time.perf_counter() - started) * 1000
        log.info("query %s: %d rows in %.0f ms on Spark", query.name, len(frame), elapsed)

        return Outcome(query, parameters, "ok", frame, elapsed)


def _model_columns(frame: DataFrame, model_table: str, mapping: Mapping) -> list[Column]:
    """The model's columns of ``frame``, renamed and translated as the mapping says.

    Partition columns such as ``created_month`` are left out: the queries read the
    model's columns only. An optional column the source lacks reads as NULL.
    """
    entry = mapping.tables.get(model_table)
    present = set(frame.columns)
    columns: list[Column] = []

    for column in metadata.tables[model_table].columns:
        theirs = mapping.their_column(model_table, column.name)
        if theirs is None or theirs not in present:
            expression = F.lit(None).cast(_spark_type(column.type))
        else:
            expression = F.col(f"`{theirs}`")
            vocabulary = entry.values.get(column.name, {}) if entry else {}
            if vocabulary:
                expression = _translated(expression, vocabulary)
        columns.append(expression.alias(column.name))

    return columns


def _with_month(source: DataFrame, columns: list[Column]) -> DataFrame:
    """The model view plus ``created_month``: the partition column, or derived from time.

    A source split by month (``created_month=YYYY-MM`` folders) gives its partition column,
    on which Spark prunes folders; any other source gets the UTC month of ``created_at``,
    so the month conditions added to the queries hold there too.
    """
    if MONTH_COLUMN in source.columns:
        month = F.col(MONTH_COLUMN).cast("string")
        return source.select(*columns, month.alias(MONTH_COLUMN))

    view = source.select(*columns)
    return view.withColumn(MONTH_COLUMN, F.date_format("created_at", "yyyy-MM"))


def _translated(source: Column, vocabulary: dict[str, str]) -> Column:
    text = source.cast("string")
    pairs = [F.lit(value) for item in sorted(vocabulary.items()) for value in item]
    return F.coalesce(F.create_map(*pairs)[text], text)


def _spark_type(kind: object) -> str:
    if isinstance(kind, DateTime):
        return "timestamp"
    if isinstance(kind, Date):
        return "date"
    if isinstance(kind, Boolean):
        return "boolean"
    if isinstance(kind, BigInteger | Integer):
        return "bigint"
    if isinstance(kind, Float):
        return "double"
    return "string"


def _typed(query: Query, result: pa.Table) -> pd.DataFrame:
    """Spark's Arrow table with the declared column names and types, as every engine gives."""
    if result.num_columns != len(query.columns):
        raise ValueError(
            f"the query returned {result.num_columns} columns, its header declares "
            f"{len(query.columns)}"
        )
    columns = [column.to_pylist() for column in result.columns]
    return typed_frame(query, list(zip(*columns, strict=True)))


@contextmanager
def _settings(session: SparkSession, settings: dict[str, str]) -> Iterator[None]:
    before = {name: session.conf.get(name, None) for name in settings}
    for name, value in settings.items():
        session.conf.set(name, value)
    try:
        yield
    finally:
        for name, old in before.items():
            if old is None:
                session.conf.unset(name)
            else:
                session.conf.set(name, old)


@contextmanager
def _time_limit(session: SparkSession, timeout_s: float) -> Iterator[None]:
    """Interrupt the query's Spark jobs after ``timeout_s``, as a statement timeout does."""
    tag = f"nexus-audit-{uuid.uuid4().hex[:12]}"
    timer = threading.Timer(timeout_s, session.interruptTag, args=(tag,))
    session.addTag(tag)
    timer.start()
    try:
        yield
    except PySparkException as error:
        if not timer.is_alive():
            raise PySparkException(
                f"cancelled after the {timeout_s:g} s query time limit ({error})"
            ) from error
        raise
    finally:
        timer.cancel()
        session.removeTag(tag)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
