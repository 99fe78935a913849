"""Writing the demo: schema, bulk loads and indexes in one transaction.

Both databases get their fastest path: DuckDB scans the DataFrame in place, and
PostgreSQL receives ``COPY ... FROM STDIN`` in its text format. Indexes are built
after the rows are in, which is cheaper than maintaining them row by row. If anything
fails the transaction is rolled back, so a half-written demo is never left behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import Engine, Table, inspect
from sqlalchemy.schema import CreateIndex, CreateTable, DropTable

from ..errors import ConfigError
from ..model import metadata

_FRAME = "nexus_demo_frame"
_CHUNK = 200_000
_NULL = "\\N"


def existing(engine: Engine) -> list[str]:
    """Names of the model's tables already present, in dependency order."""
    present = set(inspect(engine).get_table_names())

    return [table.name for table in metadata.sorted_tables if table.name in present]


class Loader(Protocol):
    """The few operations a build needs from a database."""

    def execute(self, statement: str) -> None:
        """Run one statement inside the build's transaction."""

    def write(self, table: Table, frame: pd.DataFrame) -> None:
        """Append ``frame``, whose columns are the table's, to ``table``."""


def _columns(engine: Engine, table: Table, frame: pd.DataFrame) -> tuple[str, str]:
    """The table and the columns the frame fills; optional model columns may be absent."""
    quote = engine.dialect.identifier_preparer
    names = ", ".join(quote.quote(c.name) for c in table.columns if c.name in frame)

    return quote.format_table(table), names


class _DuckDB:
    """Inserts by letting DuckDB scan the registered DataFrame."""

    def __init__(self, engine: Engine, connection: Any) -> None:
        self.engine, self.connection = engine, connection
        connection.begin()

    def execute(self, statement: str) -> None:
        self.connection.execute(statement)

    def write(self, table: Table, frame: pd.DataFrame) -> None:
        name, columns = _columns(self.engine, table, frame)
        self.connection.register(_FRAME, frame)
        try:
            self.connection.execute(
                f"INSERT INTO {name} ({columns}) SELECT {columns} FROM {_FRAME}"
            )
        finally:
            self.connection.unregister(_FRAME)


def _escape(value: str) -> str:
    """COPY text format: backslash, tab and line breaks are escaped."""
    for raw, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
        value = value.replace(raw, escaped)

    return value


def _text(column: pd.Series) -> npt.NDArray[np.object_]:
    """One column as COPY text fields; nulls become ``\\N``."""
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        # Code -1 (null) picks the last field, which is the null marker.
        fields = [_escape(str(c)) for c in dtype.categories] + [_NULL]
        return np.array(fields, dtype=object)[column.cat.codes.to_numpy()]

    if isinstance(dtype, pd.DatetimeTZDtype):
        stamps = pd.DatetimeIndex(column).as_unit("us").asi8.view("datetime64[us]")
        text = np.char.add(np.datetime_as_string(stamps, unit="us"), "+00")
        return np.where(np.isnat(stamps), _NULL, text).astype(object)

    if pd.api.types.is_bool_dtype(dtype):
        return np.where(column.to_numpy(dtype=bool), "t", "f").astype(object)

    if pd.api.types.is_integer_dtype(dtype):
        values = column.to_numpy(dtype=np.int64, na_value=0).astype(str)
        return np.where(column.isna().to_numpy(), _NULL, values).astype(object)

    return np.array(
        [_NULL if pd.isna(v) else _escape(str(v)) for v in column], dtype=object
    )


class _Postgres:
    """Streams rows through psycopg's ``COPY ... FROM STDIN``."""

    def __init__(self, engine: Engine, connection: Any) -> None:
        self.engine, self.connection = engine, connection

    def execute(self, statement: str) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(statement)

    def write(self, table: Table, frame: pd.DataFrame) -> None:
        name, columns = _columns(self.engine, table, frame)
        with self.connection.cursor() as cursor:
            with cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
                for start in range(0, len(frame), _CHUNK):
                    part = frame.iloc[start : start + _CHUNK]
                    fields = [
                        _text(part[c.name]) for c in table.columns if c.name in part
                    ]
                    lines = map("\t".join, zip(*fields, strict=True))
                    copy.write("\n".join(lines) + "\n")


_LOADERS: dict[str, Callable[[Engine, Any], Loader]] = {
    "duckdb": _DuckDB,
    "postgresql": _Postgres,
}


@contextmanager
def loading(engine: Engine, drop: list[str]) -> Iterator[Loader]:
    """A transaction that drops ``drop``, creates the schema, loads, then indexes.

    Raises:
        ConfigError: the database is neither DuckDB nor PostgreSQL.
    """
    kind = _LOADERS.get(engine.dialect.name)
    if kind is None:
        raise ConfigError(
            "the demo can be written to DuckDB or PostgreSQL, "
            f"not {engine.dialect.name!r}"
        )

    raw = engine.raw_connection()
    try:
        loader = kind(engine, raw.driver_connection)
        _create(engine, loader, drop)
        yield loader
        _index(engine, loader)
        raw.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.close()


def _create(engine: Engine, loader: Loader, drop: list[str]) -> None:
    """Drop the model's tables named in ``drop``, then create every model table."""
    dialect = engine.dialect

    for table in reversed(metadata.sorted_tables):
        if table.name in drop:
            loader.execute(str(DropTable(table).compile(dialect=dialect)))

    for table in metadata.sorted_tables:
        loader.execute(str(CreateTable(table).compile(dialect=dialect)))


def _index(engine: Engine, loader: Loader) -> None:
    """Index once the rows are in, and give PostgreSQL's planner fresh statistics."""
    dialect = engine.dialect

    for table in metadata.sorted_tables:
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            if dialect.name in index.info.get("dialects", (dialect.name,)):
                loader.execute(str(CreateIndex(index).compile(dialect=dialect)))
        if dialect.name == "postgresql":
            loader.execute(f"ANALYZE {dialect.identifier_preparer.format_table(table)}")
