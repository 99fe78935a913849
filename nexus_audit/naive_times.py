"""Time columns stored without a zone: read as UTC, and named in a warning.

The model's time columns are ``timestamp with time zone``. A platform's own table may
hold ``timestamp without time zone`` instead; the audit session's clock is UTC on both
engines, so such values are read as UTC, whatever ``time_zone`` says (that setting only
decides where months and days are cut). A column that in fact holds local times would
shift every event by the zone's offset, so each one found is named in a warning.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .mapping import Mapping
from .model import metadata

log = logging.getLogger(__name__)

# information_schema.columns.data_type of zone-less times: PostgreSQL, then DuckDB.
NAIVE_TYPES = frozenset(
    {
        "timestamp without time zone",
        "timestamp",
        "timestamp_ns",
        "timestamp_ms",
        "timestamp_s",
    }
)


def naive_time_columns(
    connection: Connection, mapping: Mapping, present: frozenset[str]
) -> list[str]:
    """``table.column`` (their names) of every model time column stored without a zone."""
    current = connection.execute(sa.text("SELECT current_schema()")).scalar_one()
    types = _column_types(connection, mapping, present, current)
    found: list[str] = []

    for name in sorted(present):
        schema, table = mapping.source(name)
        for column in metadata.tables[name].columns:
            theirs = mapping.their_column(name, column.name)
            if not isinstance(column.type, sa.DateTime) or theirs is None:
                continue
            if types.get((schema or current, table, theirs)) in NAIVE_TYPES:
                place = f"{table}.{theirs}"
                if (table, theirs) != (name, column.name):
                    place += f" (model {name}.{column.name})"
                found.append(place)

    return found


def warnings_for(columns: list[str], time_zone: str) -> tuple[str, ...]:
    """One report warning per zone-less column, also written to the log."""
    warnings = tuple(
        f"Column {place} is a timestamp without time zone; its values are read as UTC "
        f"(not in time_zone {time_zone}). If it holds local times, store it as "
        "timestamp with time zone."
        for place in columns
    )
    for warning in warnings:
        log.warning("%s", warning)

    return warnings


def _column_types(
    connection: Connection, mapping: Mapping, present: frozenset[str], current: str
) -> dict[tuple[str, str, str], str]:
    sources = [mapping.source(name) for name in present]
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
            "schemas": sorted({schema or current for schema, _ in sources}),
            "tables": sorted({table for _, table in sources}),
        },
    )

    return {(s, t, c): str(kind).lower() for s, t, c, kind in rows}
