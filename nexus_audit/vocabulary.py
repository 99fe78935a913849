"""Count values outside the model's closed vocabularies in mapped tables.

A mapped ``status`` holding ``ENABLED`` where the model expects ``active`` does not fail
any query: the account simply never counts as active, and controls about active accounts
pass on nothing. One read-only query per closed column (``info={"values": ...}`` in the
model) counts the values it does not know, after the mapping's translation.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from .mapping import Mapping
from .model import metadata

log = logging.getLogger(__name__)

SHOWN = 5
"""Unknown values named per column; the rest are counted."""


def closed_columns(table: str) -> dict[str, tuple[str, ...]]:
    """Model column -> its allowed values, for the closed columns of ``table``."""
    return {
        column.name: tuple(column.info["values"])
        for column in metadata.tables[table].columns
        if "values" in column.info
    }


def unknown_value_warnings(
    connection: Connection, mapping: Mapping, present: frozenset[str]
) -> tuple[str, ...]:
    """One warning per mapped closed column holding values the model does not know."""
    warnings = []

    for table in sorted(mapping.tables):
        if table not in present:
            continue
        for column, allowed in closed_columns(table).items():
            if mapping.their_column(table, column) is None:
                continue
            counts = _unknown(connection, mapping, table, column, allowed)
            if counts:
                warnings.append(_warning(mapping, table, column, allowed, counts))

    return tuple(warnings)


def _unknown(
    connection: Connection,
    mapping: Mapping,
    table: str,
    column: str,
    allowed: tuple[str, ...],
) -> list[tuple[str, int]]:
    """(value, rows) for each value of ``column`` outside ``allowed``, most first."""
    quote = connection.dialect.identifier_preparer.quote_identifier
    names = ", ".join(f":allowed_{index}" for index in range(len(allowed)))
    value = f"CAST({quote(column)} AS VARCHAR)"
    sql = (
        f"SELECT {value} AS value, COUNT(*) AS n FROM {quote(table)} "
        f"WHERE {quote(column)} IS NOT NULL AND {value} NOT IN ({names}) "
        f"GROUP BY {value} ORDER BY n DESC, value"
    )
    sql, bound = mapping.apply(sql, (table,), connection.dialect)
    bound.update({f"allowed_{index}": name for index, name in enumerate(allowed)})

    nested = connection.dialect.name == "postgresql"
    try:
        with connection.begin_nested() if nested else nullcontext():
            rows = connection.execute(sa.text(sql), bound).all()
    except SQLAlchemyError as error:
        log.warning("could not count the values of %s.%s: %s", table, column, error)
        return []

    return [(str(row.value), int(row.n)) for row in rows]


def _warning(
    mapping: Mapping,
    table: str,
    column: str,
    allowed: tuple[str, ...],
    counts: list[tuple[str, int]],
) -> str:
    shown = ", ".join(f"{value!r} ({rows} rows)" for value, rows in counts[:SHOWN])
    more = f" and {len(counts) - SHOWN} more" if len(counts) > SHOWN else ""
    source = mapping.tables[table].table

    return (
        f"Column {table}.{column} (read from {source}) holds values the model does "
        f"not know: {shown}{more}; the model's values are {', '.join(allowed)}. "
        f"Translate them in 'mapping.{table}.values.{column}', or controls that look "
        "for these values miss those rows."
    )
