"""Which model columns each query reads, found by parsing its SQL with sqlglot.

A mapping may declare a column absent (read as NULL); a query reading it must then read
"no data" rather than judge NULLs. Knowing what a query reads needs a real parser: a
column is resolved through aliases, common table expressions and subqueries to the
model table it comes from. Where the parser cannot tell (a column named through
``SELECT *`` of a subquery, or left unqualified between two tables), the column counts
as read from every table of the query that has one of that name: better a control that
reads "no data" than one that passes on NULLs. SQL the parser rejects falls back to
matching column names as words, with the same bias.
"""

from __future__ import annotations

import logging
import re
from functools import cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import Scope, traverse_scope

from .model import metadata
from .queries import Query

log = logging.getLogger(__name__)

ColumnsRead = dict[str, frozenset[str]]


def columns_read(query: Query) -> ColumnsRead:
    """Model table -> the model columns ``query`` reads from it."""
    return _parsed(query.name, query.sql, query.tables)


@cache
def _parsed(name: str, sql: str, tables: tuple[str, ...]) -> ColumnsRead:
    schema: dict[str, object] = {
        table: {column.name: "TEXT" for column in metadata.tables[table].columns}
        for table in tables
    }
    try:
        tree = qualify(
            sqlglot.parse_one(sql, read="postgres"),
            schema=schema,
            dialect="postgres",
            expand_stars=False,
            validate_qualify_columns=False,
            quote_identifiers=False,
        )
    except SqlglotError as error:
        log.info("query %s: sqlglot cannot parse it (%s); matching names", name, error)
        return _by_name(sql, tables)

    found: dict[str, set[str]] = {}
    for scope in traverse_scope(tree):
        _scope_columns(scope, schema, found)

    return {table: frozenset(columns) for table, columns in found.items()}


def _by_name(sql: str, tables: tuple[str, ...]) -> ColumnsRead:
    """Every model column whose name appears as a word in ``sql``: a safe excess."""
    words = set(re.findall(r"\w+", sql.lower()))
    return {
        table: frozenset(c.name for c in metadata.tables[table].c if c.name in words)
        for table in tables
    }


def _scope_columns(
    scope: Scope, schema: dict[str, object], found: dict[str, set[str]]
) -> None:
    for column in scope.columns:
        source = _source(scope, column.table)

        if isinstance(source, exp.Table) and source.name in schema:
            found.setdefault(source.name, set()).add(column.name)
        elif source is None or _has_star(source):
            for table in schema:
                if column.name in metadata.tables[table].c:
                    found.setdefault(table, set()).add(column.name)

    if scope.parent is None and _has_star(scope):
        for source in scope.sources.values():
            if isinstance(source, exp.Table) and source.name in schema:
                model = metadata.tables[source.name].columns
                found.setdefault(source.name, set()).update(c.name for c in model)


def _source(scope: Scope, alias: str) -> exp.Table | Scope | None:
    """The table or subquery ``alias`` names, looked up through enclosing scopes."""
    current: Scope | None = scope
    while current is not None:
        if alias and alias in current.sources:
            source = current.sources[alias]
            return source if isinstance(source, exp.Table | Scope) else None
        current = current.parent

    return None


def _has_star(source: exp.Table | Scope) -> bool:
    if not isinstance(source, Scope) or not isinstance(source.expression, exp.Select):
        return False

    return any(
        isinstance(select, exp.Star)
        or (isinstance(select, exp.Column) and isinstance(select.this, exp.Star))
        for select in source.expression.selects
    )
