"""Audit a database laid out differently from the model, without creating anything in it.

A mapping says, per model table, which table of the user's database holds it, what their
columns are called and how their values translate (``login_failed`` meaning
``failed_login``, say). The shipped queries stay unchanged: before a query runs, each
mapped table it reads is defined as a common table expression of the same name over the
user's table, so the query sees the model's names and values::

    WITH audit_log AS NOT MATERIALIZED (
        SELECT "ts" AS created_at, "actor" AS user_id, ... FROM "app"."events"
    )
    <the query as shipped>

Every name from the settings is checked against a strict pattern, then quoted by the
engine's own identifier quoting; every value is bound, never written into the SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.engine import Dialect

from .errors import ConfigError
from .model import metadata

# Letters, digits, underscores, spaces and hyphens: enough for real schemas, and nothing
# that could end a quoted identifier on any engine.
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_ $-]{0,62}$")
_LEADING_WITH = re.compile(r"^\s*WITH\s", re.IGNORECASE)

ParamValue = str | int | float | bool


class TableMap(BaseModel):
    """Where one model table lives in the audited database."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    table: str = Field(
        description="Their table, optionally schema-qualified: app.events."
    )
    columns: dict[str, str] = Field(
        default_factory=dict, description="Model column -> their column."
    )
    absent: tuple[str, ...] = Field(
        default=(),
        description="Optional model columns their table lacks (read as NULL).",
    )
    values: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="Model column -> {their value: model value}.",
    )

    @field_validator("table")
    @classmethod
    def _table_name(cls, value: str) -> str:
        for part in value.split("."):
            check_name(part, "table")
        if value.count(".") > 1:
            raise ValueError(f"write the table as schema.table, got {value!r}")
        return value

    @field_validator("columns")
    @classmethod
    def _column_names(cls, value: dict[str, str]) -> dict[str, str]:
        for theirs in value.values():
            check_name(theirs, "column")
        return value


def check_name(name: str, kind: str) -> str:
    """Accept a table or column name only if it cannot change a query's meaning."""
    if not _NAME.match(name):
        raise ValueError(
            f"{kind} name {name!r} is not allowed: use letters, digits, underscores, "
            "spaces or hyphens (at most 63 characters, not starting with a digit)"
        )
    return name


@dataclass(frozen=True)
class Mapping:
    """The user's mapping, checked against the model."""

    tables: dict[str, TableMap]

    @classmethod
    def build(cls, raw: dict[str, TableMap]) -> Mapping:
        """Check model table and column names; errors name the setting to change."""
        for model_table, entry in raw.items():
            if model_table not in metadata.tables:
                raise ConfigError(
                    f"setting 'mapping.{model_table}': the model has no table "
                    f"{model_table!r}; it has {sorted(metadata.tables)}"
                )
            known = {column.name for column in metadata.tables[model_table].columns}
            named = [*entry.columns, *entry.absent, *entry.values]
            for column in named:
                if column not in known:
                    raise ConfigError(
                        f"setting 'mapping.{model_table}': the model table has no "
                        f"column {column!r}; it has {sorted(known)}"
                    )
        return cls(raw)

    def source(self, model_table: str) -> tuple[str | None, str]:
        """(schema or None, table) holding ``model_table`` in the audited database."""
        entry = self.tables.get(model_table)
        name = entry.table if entry else model_table
        schema, _, table = name.rpartition(".")
        return schema or None, table

    def their_column(self, model_table: str, column: str) -> str | None:
        """Their name for a model column; None when the mapping declares it absent."""
        entry = self.tables.get(model_table)
        if entry is None:
            return column
        if column in entry.absent:
            return None
        # An optional model column is read only when the mapping names it.
        if column not in entry.columns and metadata.tables[model_table].c[column].info.get(
            "optional"
        ):
            return None
        return entry.columns.get(column, column)

    def absent_read(self, reads: dict[str, frozenset[str]]) -> list[tuple[str, str]]:
        """The (table, column) pairs among ``reads`` that the mapping declares absent.

        Optional model columns (latitude, longitude) are left out: the queries that read
        them handle NULL as "not known" and fall back to other data.
        """
        hits: list[tuple[str, str]] = []
        for table, columns in sorted(reads.items()):
            entry = self.tables.get(table)
            if entry is None:
                continue
            model = metadata.tables[table].columns
            optional = {c.name for c in model if c.info.get("optional")}
            hits.extend(
                (table, column)
                for column in sorted(columns)
                if column in entry.absent and column not in optional
            )

        return hits

    def apply(
        self, sql: str, tables: tuple[str, ...], dialect: Dialect
    ) -> tuple[str, dict[str, ParamValue]]:
        """The query with a defining CTE per mapped table, and the values it binds."""
        parts: list[str] = []
        values: dict[str, ParamValue] = {}

        for model_table in tables:
            if model_table in self.tables:
                parts.append(self._cte(model_table, dialect, values))

        if not parts:
            return sql, values

        prefix = "WITH " + ",\n".join(parts)
        if _LEADING_WITH.match(sql):
            return _LEADING_WITH.sub(prefix + ",\n", sql, count=1), values

        return f"{prefix}\n{sql}", values

    def _cte(
        self, model_table: str, dialect: Dialect, values: dict[str, ParamValue]
    ) -> str:
        quote = dialect.identifier_preparer.quote_identifier
        entry = self.tables[model_table]
        selected = []

        for column in metadata.tables[model_table].columns:
            theirs = self.their_column(model_table, column.name)
            if theirs is None:
                kind = column.type.compile(dialect=dialect)
                expression = f"CAST(NULL AS {kind})"
            else:
                expression = _translated(
                    model_table,
                    column.name,
                    quote(theirs),
                    entry.values.get(column.name, {}),
                    values,
                )
            selected.append(f"{expression} AS {quote(column.name)}")

        schema, table = self.source(model_table)
        source = f"{quote(schema)}.{quote(table)}" if schema else quote(table)
        columns = ",\n        ".join(selected)

        return (
            f"{quote(model_table)} AS NOT MATERIALIZED (\n"
            f"    SELECT\n        {columns}\n    FROM {source}\n)"
        )


def _translated(
    table: str,
    column: str,
    source: str,
    vocabulary: dict[str, str],
    values: dict[str, ParamValue],
) -> str:
    """A CASE that maps their values to the model's, bound as parameters."""
    if not vocabulary:
        return source

    branches = []
    for index, (theirs, ours) in enumerate(sorted(vocabulary.items())):
        key = f"map_{table}_{column}_{index}"
        values[f"{key}_from"], values[f"{key}_to"] = theirs, ours
        branches.append(f"WHEN :{key}_from THEN :{key}_to")

    text = f"CAST({source} AS VARCHAR)"
    return f"CASE {text} {' '.join(branches)} ELSE {text} END"
