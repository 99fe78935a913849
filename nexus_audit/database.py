"""Open the audited database read-only, in one snapshot, and see which tables it has.

PostgreSQL audits run in one ``REPEATABLE READ READ ONLY`` transaction, so every query
sees the same state, with a statement and a lock timeout. DuckDB files are opened
read-only: no other process can write while the audit holds the file, so each query sees
the same state even across transactions.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from .errors import ConfigError, DatabaseError, SchemaError
from .faults import connect_advice
from .mapping import Mapping
from .model import OPTIONAL_TABLES, REQUIRED_TABLES, metadata

log = logging.getLogger(__name__)

SNAPSHOT_ID = re.compile(r"[0-9A-F]+-[0-9A-F]+(-[0-9]+)?")
"""What ``pg_export_snapshot()`` returns, e.g. ``00000003-0000001B-1``."""


@dataclass(frozen=True)
class Inventory:
    """The model tables the audited database holds."""

    present: frozenset[str]
    missing_optional: tuple[str, ...]


def server_version(connection: Connection) -> str:
    """The engine's own version string (``SELECT version()`` answers on both)."""
    try:
        text = connection.execute(sa.text("SELECT version()")).scalar_one()
    except SQLAlchemyError as error:
        log.warning("could not read the server version: %s", first_line(error))
        return connection.dialect.name

    return f"{connection.dialect.name} {text}"


def describe(url: str | sa.URL) -> str:
    """Dialect and database of a URL, with no user name or password."""
    parsed = make_url(url)
    return f"{parsed.get_backend_name()}:{parsed.database or ''}"


def open_engine(
    url: str | sa.URL, *, read_only: bool = True, password_file: Path | None = None
) -> Engine:
    """An engine for ``url``; DuckDB files are opened read-only unless told otherwise.

    The password may come from ``password_file``, from libpq's own ``PGPASSWORD`` or
    ``~/.pgpass`` (psycopg reads them), or from the URL; messages never show it.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise ConfigError(
            f"database URL {_mask(url)!r} is not a SQLAlchemy URL; write it as "
            "duckdb:///path/to/file.duckdb or postgresql+psycopg://user@host/db"
        ) from error

    if password_file is not None:
        parsed = parsed.set(password=_read_password(password_file))

    connect_args: dict[str, object] = {}
    if parsed.get_backend_name() == "duckdb" and read_only and _is_file(parsed):
        connect_args["read_only"] = True

    try:
        return sa.create_engine(parsed, connect_args=connect_args)
    except (NoSuchModuleError, ImportError) as error:
        raise ConfigError(
            f"no driver for database URL {_mask(url)!r}: {error}"
        ) from error


@contextmanager
def snapshot(
    engine: Engine,
    *,
    statement_timeout_s: float,
    lock_timeout_s: float,
    imported: str | None = None,
) -> Iterator[Connection]:
    """A read-only connection in one transaction, with the session clock in UTC.

    ``imported`` names a PostgreSQL snapshot another connection exported, to see what it
    sees (see :mod:`lanes`).
    """
    try:
        connection = engine.connect()
    except SQLAlchemyError as error:
        detail = first_line(error)
        raise DatabaseError(
            f"cannot connect to {describe(engine.url)}: {detail}"
            f"{_ssl_hint(engine.url, error)}; {connect_advice(detail)}"
        ) from error

    try:
        with connection:
            _prepare(connection, statement_timeout_s, lock_timeout_s, imported)
            yield connection
            connection.rollback()
    except SQLAlchemyError as error:
        raise DatabaseError(
            f"reading {describe(engine.url)} failed: {first_line(error)}"
        ) from error


def inventory(connection: Connection, mapping: Mapping | None = None) -> Inventory:
    """Check required tables and every column of the tables present.

    With a mapping, each model table is looked for where the mapping puts it, and errors
    name the setting to change.
    """
    mapping = mapping or Mapping({})
    columns = _columns(connection, mapping)

    return check_tables(columns, mapping, describe(connection.engine.url))


def check_tables(
    columns: dict[str, dict[str, str]], mapping: Mapping, source: str
) -> Inventory:
    """The inventory of the model tables found in ``source``, from their column types.

    Any engine answers with the same checks: a missing required table or column is an
    error, a missing optional table a warning.
    """
    missing = [name for name in REQUIRED_TABLES if name not in columns]
    if missing:
        where = "; ".join(_where(mapping, name) for name in missing)
        raise SchemaError(
            f"required table(s) not found in {source}: {where}; "
            "the README's data model lists what each must hold"
        )

    present = [name for name in (*REQUIRED_TABLES, *OPTIONAL_TABLES) if name in columns]
    for name in present:
        _check_columns(name, columns[name], mapping)

    absent = tuple(name for name in OPTIONAL_TABLES if name not in columns)
    if absent:
        log.info("optional table(s) absent, their controls read 'no data': %s", absent)

    return Inventory(frozenset(present), absent)


def _columns(connection: Connection, mapping: Mapping) -> dict[str, dict[str, str]]:
    """Their column names and data types per model table found, from information_schema.

    Both engines answer this standard view; duckdb-engine's inspector does not work on
    every DuckDB release.
    """
    current = connection.execute(sa.text("SELECT current_schema()")).scalar_one()
    sources = {name: mapping.source(name) for name in metadata.tables}
    wanted = {(schema or current, table): name for name, (schema, table) in sources.items()}

    rows = connection.execute(
        sa.text(
            "SELECT table_schema, table_name, column_name, data_type "
            "FROM information_schema.columns "
            "WHERE table_schema IN :schemas AND table_name IN :tables"
        ).bindparams(
            sa.bindparam("schemas", expanding=True),
            sa.bindparam("tables", expanding=True),
        ),
        {
            "schemas": sorted({schema for schema, _ in wanted}),
            "tables": sorted({table for _, table in wanted}),
        },
    )
    found: dict[str, dict[str, str]] = {}

    for schema, table, column, data_type in rows:
        model_table = wanted.get((schema, table))
        if model_table is not None:
            found.setdefault(model_table, {})[column] = str(data_type)

    return found


def _where(mapping: Mapping, table: str) -> str:
    if table in mapping.tables:
        return f"{mapping.tables[table].table} (setting 'mapping.{table}.table')"
    return table


def _check_columns(table: str, found: dict[str, str], mapping: Mapping) -> None:
    for column in metadata.tables[table].columns:
        theirs = mapping.their_column(table, column.name)
        if theirs is not None and theirs in found and table in mapping.tables:
            _check_type(table, column, theirs, found[theirs], mapping)
        if column.info.get("optional") or theirs is None or theirs in found:
            continue

        if table in mapping.tables:
            raise SchemaError(
                f"table {_where(mapping, table)} lacks column {theirs!r}, which the "
                f"model's {table}.{column.name} is read from; set "
                f"'mapping.{table}.columns.{column.name}' to the right column, or list "
                f"{column.name!r} in 'mapping.{table}.absent' if you have none (the "
                "queries reading it then read 'no data')"
            )
        raise SchemaError(
            f"table {table} lacks column {column.name}; the README's data model lists "
            f"the columns each table must have (or map it: 'mapping.{table}.columns')"
        )


def _check_type(
    table: str, column: sa.Column[object], theirs: str, data_type: str, mapping: Mapping
) -> None:
    """Refuse a mapped column whose type family differs from the model column's."""
    needed = model_family(column)
    found = type_family(data_type)
    if found is None or needed is None or found == needed:
        return
    if needed == "numeric" and found == "integer":
        return

    source = mapping.tables[table].table
    raise SchemaError(
        f"setting 'mapping.{table}.columns.{column.name}' = {theirs!r} is {found} "
        f"({data_type}) in {source}, the model's {table}.{column.name} needs {needed}: "
        "map a column of that type, or a view that casts it (or joins names to ids)"
    )


_INTEGER = re.compile(r"^u?(tiny|small|big|huge)?int(eger)?\d*$|^(big|small)?serial$")
_FAMILIES = (
    ("timestamp", ("timestamp",)),
    ("boolean", ("bool",)),
    ("numeric", ("numeric", "decimal", "real", "double", "float")),
    ("text", ("char", "text", "string")),
)


def type_family(data_type: str) -> str | None:
    """The family of an information_schema data_type (either engine), else None."""
    name = data_type.lower()
    if name == "date" or name.startswith("interval"):
        return name.split()[0]
    if _INTEGER.match(name):
        return "integer"

    for family, words in _FAMILIES:
        if any(word in name for word in words):
            return family

    return None


def model_family(column: sa.Column[object]) -> str | None:
    """The family of a model column's SQLAlchemy type."""
    kind = column.type
    if isinstance(kind, sa.DateTime):
        return "timestamp"
    if isinstance(kind, sa.Boolean):
        return "boolean"
    if isinstance(kind, sa.Integer):
        return "integer"
    if isinstance(kind, sa.Float | sa.Numeric):
        return "numeric"
    if isinstance(kind, sa.String):
        return "text"
    return None


def _prepare(
    connection: Connection,
    statement_timeout_s: float,
    lock_timeout_s: float,
    imported: str | None = None,
) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
        )
        if imported:  # before any query of the transaction, as PostgreSQL requires
            if not SNAPSHOT_ID.fullmatch(imported):
                raise DatabaseError(f"{imported!r} is not a PostgreSQL snapshot id")
            connection.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{imported}'")
        settings = {
            "statement_timeout": f"{int(statement_timeout_s * 1000)}ms",
            "lock_timeout": f"{int(lock_timeout_s * 1000)}ms",
            "TimeZone": "UTC",
            "jit": "off",  # compiling cost more than it saved on these one-off queries
        }
        for name, value in settings.items():
            connection.execute(
                sa.text("SELECT set_config(:name, :value, true)"),
                {"name": name, "value": value},
            )
    elif connection.dialect.name == "duckdb":
        connection.exec_driver_sql("SET TimeZone = 'UTC'")


def _read_password(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ConfigError(
            f"setting 'database_password_file': cannot read {str(path)!r}: "
            f"{error.strerror}"
        ) from error

    if not lines or not lines[0]:
        raise ConfigError(f"setting 'database_password_file': {str(path)!r} is empty")

    return lines[0]


def _is_file(url: sa.URL) -> bool:
    return bool(url.database) and url.database != ":memory:"


def _mask(url: str | sa.URL) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparsable URL>"


def _ssl_hint(url: sa.URL, error: BaseException) -> str:
    """Name the sslmode option when libpq refused to connect over (or without) SSL."""
    mode = url.query.get("sslmode")
    if mode is None or "SSL" not in str(error):
        return ""

    return (
        f" (connection option sslmode={mode!s}, from 'database.options.sslmode' or the "
        "URL: enable SSL on the server, or choose the sslmode it supports)"
    )


def first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error)
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__
