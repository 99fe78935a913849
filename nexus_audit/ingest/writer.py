"""Store attempts and events in ``login_attempts`` and ``audit_log``, each row once.

The writer knows nothing of log formats. A row's id is a 63-bit hash of its record key,
so a record already stored (the same file loaded again, under any name) is left alone;
the count of rows really added is what the run reports. Rows are built column by column
as an Arrow table and go in through the engine's bulk path (DuckDB scans the table,
PostgreSQL takes it as CSV through ``COPY``) into a staging table, then one
``INSERT … SELECT`` adds the new ones and fills ``user_id`` from ``users``. A batch is
stored by a worker thread while the next one is parsed. Everything happens in one
transaction: a failed run leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.schema import CreateTable

from ..errors import ConfigError, DatabaseError
from ..model import audit_log, login_attempts, metadata
from . import geo
from .records import Attempt, Event

log = logging.getLogger(__name__)

_ID_MASK = (1 << 63) - 1
_ATTEMPT_COLUMNS = [c.name for c in login_attempts.columns if c.name != "user_id"]
_EVENT_COLUMNS = [c.name for c in audit_log.columns if c.name != "user_id"]
_UTC = pa.timestamp("us", tz="UTC")
_ATTEMPT_TYPES = {
    "id": pa.int64(),
    "username": pa.string(),
    "client_ip": pa.string(),
    "created_at": _UTC,
    "success": pa.bool_(),
    "failure_reason": pa.string(),
    "mfa_used": pa.bool_(),
    "user_agent": pa.string(),
    "country": pa.string(),
    "latitude": pa.float64(),
    "longitude": pa.float64(),
}
_EVENT_TYPES = {
    "id": pa.int64(),
    "created_at": _UTC,
    "event_type": pa.string(),
    "actor_ip": pa.string(),
    "resource": pa.string(),
    "outcome": pa.string(),
    "details": pa.string(),
    "username": pa.string(),
}
_PANDAS_TYPES: dict[Any, Any] = {
    pa.int64(): "Int64",
    pa.string(): "string",
    pa.bool_(): "boolean",
    pa.float64(): "Float64",
}
# One encoder for every event: json.dumps would build a new one per call.
_JSON = json.JSONEncoder(ensure_ascii=False, default=str)
_quote: Callable[[object], str] = json.encoder.encode_basestring  # type: ignore[assignment]
_CSV = pa_csv.WriteOptions(include_header=False)


def row_id(key: str) -> int:
    """The stored id of a record: its key's BLAKE2b hash, as a positive 63-bit integer."""
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") & _ID_MASK


def attempt_frame(attempts: Sequence[Attempt]) -> pa.Table:
    """Attempts as staging rows; the country is looked up where the data gave none."""
    ids, attempts = _first_of_each(attempts)
    looked_up = geo.countries(
        [a.client_ip if a.country is None else None for a in attempts]
    )
    columns: dict[str, list[Any]] = {
        "id": ids,
        "username": [a.username for a in attempts],
        "client_ip": [a.client_ip for a in attempts],
        "created_at": [a.created_at for a in attempts],
        "success": [a.success for a in attempts],
        "failure_reason": [a.failure_reason for a in attempts],
        "mfa_used": [a.mfa_used for a in attempts],
        "user_agent": [a.user_agent for a in attempts],
        "country": [a.country or c for a, c in zip(attempts, looked_up, strict=True)],
        "latitude": [a.latitude for a in attempts],
        "longitude": [a.longitude for a in attempts],
    }
    return _table(columns, _ATTEMPT_TYPES)


def event_frame(events: Sequence[Event]) -> pa.Table:
    """Events as staging rows, with the account name kept for the user lookup."""
    ids, events = _first_of_each(events)
    columns: dict[str, list[Any]] = {
        "id": ids,
        "created_at": [e.created_at for e in events],
        "event_type": [e.event_type for e in events],
        "actor_ip": [e.actor_ip for e in events],
        "resource": [_cut(e.resource, 300) for e in events],
        "outcome": [e.outcome for e in events],
        "details": [_details(e) for e in events],
        "username": [e.account for e in events],
    }
    return _table(columns, _EVENT_TYPES)


def _frames(
    attempts: Sequence[Attempt], events: Sequence[Event]
) -> tuple[pa.Table | None, pa.Table | None]:
    """The staging rows of a batch, None where it holds no record of the kind."""
    return (
        attempt_frame(attempts) if attempts else None,
        event_frame(events) if events else None,
    )


_R = TypeVar("_R", Attempt, Event)


def _first_of_each(records: Sequence[_R]) -> tuple[list[int], Sequence[_R]]:
    """Row ids, and the records without repeats of an id (the first one is kept)."""
    ids = [row_id(record.key) for record in records]
    if len(set(ids)) == len(ids):
        return ids, records

    first: dict[int, int] = {}
    for place, id_ in enumerate(ids):
        first.setdefault(id_, place)
    return list(first), [records[place] for place in first.values()]


def _table(columns: dict[str, list[Any]], types: dict[str, pa.DataType]) -> pa.Table:
    """Columns as an Arrow table; NaN counts as missing, as in a DataFrame."""
    return pa.table(
        {name: _column(values, types[name]) for name, values in columns.items()}
    )


def _column(values: list[Any], kind: pa.DataType) -> pa.Array:
    try:
        return pa.array(values, kind, from_pandas=True)
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        # A value of another type than declared (a number as a user name): convert the
        # column as pandas does, 1 → "1", 1 → True, as the writer always has.
        if kind == _UTC:
            times = pd.to_datetime(pd.Series(values, dtype="object"), utc=True)
            return pa.Array.from_pandas(times).cast(kind)
        converted = pd.Series(values, dtype="object").astype(_PANDAS_TYPES[kind])
        return pa.Array.from_pandas(converted).cast(kind)


def _details(event: Event) -> str:
    """The event's details as JSON text, led by the account name it concerns."""
    details = (
        {"account": event.account, **event.details} if event.account else event.details
    )
    try:
        return _flat_json(details)
    except TypeError:
        return _JSON.encode(details)


def _flat_json(details: dict[str, object]) -> str:
    """What :data:`_JSON` writes for text and null values, at half its cost.

    Any other value (a number, a list, a nested object) raises TypeError.
    """
    return (
        "{"
        + ", ".join(
            [
                f"{_quote(name)}: {'null' if value is None else _quote(value)}"
                for name, value in details.items()
            ]
        )
        + "}"
    )


def _cut(text: str | None, size: int) -> str | None:
    return text if text is None or len(text) <= size else text[: size - 1] + "…"


class Writer:
    """One transaction on one database; :meth:`add` or :meth:`submit` many times.

    :meth:`submit` builds a batch's rows, then lets a worker thread store them while
    the caller reads the next batch: DuckDB and psycopg release the GIL while the
    database works, so parsing and storing overlap. One batch is stored at a time.
    """

    def __init__(self, connection: Any, dialect: sa.Dialect) -> None:
        self._connection = connection
        self._dialect = dialect
        self._stage: Callable[[str, pa.Table], int] = (
            self._duckdb if dialect.name == "duckdb" else self._postgres
        )
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="nexus-ingest")
        self._pending: Future[tuple[int, int]] | None = None
        self.added = (0, 0)

    def add(
        self, attempts: Sequence[Attempt], events: Sequence[Event]
    ) -> tuple[int, int]:
        """Store what is not there yet; returns (attempts added, events added)."""
        self.wait()
        return self._store(*_frames(attempts, events))

    def submit(self, attempts: Sequence[Attempt], events: Sequence[Event]) -> None:
        """Store a batch in the background; :meth:`wait` gives the rows added."""
        frames = _frames(attempts, events)
        self.wait()
        self._pending = self._worker.submit(self._store, *frames)

    def wait(self) -> tuple[int, int]:
        """(attempts, events) added by the batches submitted so far, once stored.

        Raises whatever storing a batch raised.
        """
        pending, self._pending = self._pending, None
        if pending is not None:
            attempts, events = pending.result()
            self.added = (self.added[0] + attempts, self.added[1] + events)

        return self.added

    def close(self) -> None:
        """Let the batch being stored finish (its error stays unraised) and stop."""
        self._pending = None
        self._worker.shutdown(wait=True)

    def _store(
        self, attempts: pa.Table | None, events: pa.Table | None
    ) -> tuple[int, int]:
        added_attempts = self._stage("login_attempts", attempts) if attempts else 0
        added_events = self._stage("audit_log", events) if events else 0

        return added_attempts, added_events

    def _duckdb(self, table: str, rows: pa.Table) -> int:
        self._connection.register("nexus_ingest_stage", rows)
        try:
            row = self._connection.execute(
                _insert(table, "nexus_ingest_stage")
            ).fetchone()
        finally:
            self._connection.unregister("nexus_ingest_stage")
        return int(row[0]) if row else 0

    def _postgres(self, table: str, rows: pa.Table) -> int:
        """COPY the rows as CSV (Arrow writes it: strings quoted, NULL left empty)."""
        stage = f"nexus_ingest_{table}"
        columns = rows.column_names
        text = pa.BufferOutputStream()
        pa_csv.write_csv(rows, text, _CSV)

        with self._connection.cursor() as cursor:
            cursor.execute("SET LOCAL client_encoding TO 'UTF8'")
            cursor.execute(f"DROP TABLE IF EXISTS {stage}")
            cursor.execute(_stage_table(table, stage, columns, self._dialect))
            with cursor.copy(
                f"COPY {stage} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)"
            ) as copy:
                copy.write(memoryview(text.getvalue()))
            cursor.execute(_insert(table, stage) + " ON CONFLICT (id) DO NOTHING")
            return max(int(cursor.rowcount), 0)


def _stage_table(
    table: str, stage: str, columns: list[str], dialect: sa.Dialect
) -> str:
    source = metadata.tables[table]
    parts = [
        f"{name} {source.c[name].type.compile(dialect) if name in source.c else 'TEXT'}"
        for name in columns
    ]
    return f"CREATE TEMP TABLE {stage} ({', '.join(parts)}) ON COMMIT DROP"


def _insert(table: str, stage: str) -> str:
    """New rows of the staging table, with user_id from the users of the same name."""
    columns = _ATTEMPT_COLUMNS if table == "login_attempts" else _EVENT_COLUMNS
    names = ", ".join(columns)
    selected = ", ".join(f"s.{name}" for name in columns)

    return (
        f"INSERT INTO {table} (user_id, {names}) "
        f"SELECT u.user_id, {selected} FROM {stage} AS s "
        "LEFT JOIN (SELECT username, MIN(user_id) AS user_id FROM users "
        "GROUP BY username) AS u ON u.username = s.username "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} AS t WHERE t.id = s.id)"
    )


@contextmanager
def writing(engine: Engine) -> Iterator[Writer]:
    """A :class:`Writer` in one transaction; the schema is created or completed first.

    Raises:
        ConfigError: the database is neither DuckDB nor PostgreSQL.
        DatabaseError: the database refused the rows.
    """
    dialect = engine.dialect.name
    if dialect not in ("duckdb", "postgresql"):
        raise ConfigError(f"ingestion writes to DuckDB or PostgreSQL, not {dialect!r}")

    _prepare_schema(engine)
    raw = engine.raw_connection()
    try:
        connection = raw.driver_connection
        assert connection is not None
        if dialect == "duckdb":
            connection.begin()
        writer = Writer(connection, engine.dialect)
        try:
            yield writer
            writer.wait()
        finally:
            writer.close()
        raw.commit()
        _analyze(engine)
    except BaseException as error:
        raw.rollback()
        if isinstance(error, Exception) and not isinstance(
            error, ConfigError | DatabaseError
        ):
            raise DatabaseError(f"storing the records failed: {error}") from error
        raise
    finally:
        raw.close()


def _analyze(engine: Engine) -> None:
    """Fresh planner statistics on PostgreSQL, so the detections' joins are planned well."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as connection:
        for table in ("login_attempts", "audit_log"):
            connection.execute(sa.text(f"ANALYZE {table}"))


def _prepare_schema(engine: Engine) -> None:
    """Create the model's tables that are missing; add missing optional columns.

    ``audit_log.created_at`` is made nullable, since some sources (pgAudit client
    notices) record no time.
    """
    with engine.begin() as connection:
        present = _columns(connection)
        for table in metadata.sorted_tables:
            if table.name not in present:
                connection.execute(CreateTable(table))
        for column in login_attempts.columns:
            found = present.get("login_attempts")
            if found and column.info.get("optional") and column.name not in found:
                kind = column.type.compile(engine.dialect)
                connection.execute(
                    sa.text(
                        f"ALTER TABLE login_attempts ADD COLUMN {column.name} {kind}"
                    )
                )
        if "audit_log" in present:
            connection.execute(
                sa.text("ALTER TABLE audit_log ALTER COLUMN created_at DROP NOT NULL")
            )


def _columns(connection: sa.Connection) -> dict[str, set[str]]:
    """Column names per model table of the current schema (information_schema)."""
    rows = connection.execute(
        sa.text(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema()"
        )
    )
    found: dict[str, set[str]] = {}
    for table, column in rows:
        if table in metadata.tables:
            found.setdefault(table, set()).add(column)
    return found
