"""Month-partition pruning: a period filter on ``created_at`` also filters ``created_month``.

Spark prunes Hive partitions only on predicates over the partition column, and the
queries filter on ``created_at``. So each top-level ``WHERE`` condition comparing a
model table's ``created_at`` with a constant (literals and parameters only) gains its
consequence on the month: ``created_at >= x`` implies ``created_month >=
date_format(x, 'yyyy-MM')``, months being UTC and written ``YYYY-MM``. The table is read
through ``<table>__months`` (the model's columns plus ``created_month``) inside a
sub-select that applies those month bounds and hands the query the model's columns only.
Rows without a time sit in the null partition; a condition on ``created_at`` drops them
anyway, so the month bounds change no result.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from ..model import metadata

MONTH_COLUMN = "created_month"
MONTHS_SUFFIX = "__months"

MONTHLY_TABLES = frozenset(
    name for name, table in metadata.tables.items() if "created_at" in table.c
)
"""Model tables with a ``created_at`` column, which the export can split by month."""

_LOWER = (exp.GTE, exp.GT)
_UPPER = (exp.LTE, exp.LT)


def prune_months(tree: exp.Expr) -> exp.Expr:
    """Every SELECT's monthly tables read with the month bounds its WHERE implies."""
    ctes = {cte.alias for cte in tree.find_all(exp.CTE)}

    for select in list(tree.find_all(exp.Select)):
        tables = {
            table.alias_or_name: table
            for table in select.find_all(exp.Table)
            if table.parent_select is select
            and table.name in MONTHLY_TABLES
            and table.name not in ctes
            and not table.db
        }
        if not tables:
            continue

        bounds: dict[str, list[exp.Expr]] = {}
        only = next(iter(tables)) if _single_source(select) else None
        for alias, month_bound in _month_bounds(select, tables, only):
            bounds.setdefault(alias, []).append(month_bound)

        for alias, conditions in bounds.items():
            tables[alias].replace(_bounded(tables[alias], conditions))

    return tree


def _single_source(select: exp.Select) -> bool:
    sources = [t for t in select.find_all(exp.Table) if t.parent_select is select]
    subqueries = [s for s in select.find_all(exp.Subquery) if s.parent_select is select]
    return len(sources) == 1 and not subqueries


def _month_bounds(
    select: exp.Select, tables: dict[str, exp.Table], only: str | None
) -> Iterator[tuple[str, exp.Expr]]:
    where = select.args.get("where")
    if where is None:
        return

    for condition in where.this.flatten() if isinstance(where.this, exp.And) else [where.this]:
        yield from _condition_bounds(condition, tables, only)


def _condition_bounds(
    condition: exp.Expr, tables: dict[str, exp.Table], only: str | None
) -> Iterator[tuple[str, exp.Expr]]:
    if isinstance(condition, exp.Between):
        alias = _alias(condition.this, tables, only)
        low, high = condition.args.get("low"), condition.args.get("high")
        if alias and low is not None and high is not None and _constant(low) and _constant(high):
            yield alias, exp.GTE(this=_month_column(), expression=_month_of(low))
            yield alias, exp.LTE(this=_month_column(), expression=_month_of(high))
        return

    if not isinstance(condition, _LOWER + _UPPER):
        return

    left, right = condition.this, condition.expression
    lower = isinstance(condition, _LOWER)
    if not _is_created_at(left):
        left, right, lower = right, left, not lower
    alias = _alias(left, tables, only)
    if alias is None or not _constant(right):
        return

    comparison = exp.GTE if lower else exp.LTE
    yield alias, comparison(this=_month_column(), expression=_month_of(right))


def _is_created_at(node: exp.Expr) -> bool:
    return isinstance(node, exp.Column) and node.name == "created_at"


def _alias(node: exp.Expr, tables: dict[str, exp.Table], only: str | None) -> str | None:
    if not isinstance(node, exp.Column) or node.name != "created_at":
        return None
    qualifier = node.table
    if qualifier:
        return qualifier if qualifier in tables else None
    return only


def _constant(node: exp.Expr) -> bool:
    """Literals, parameters and arithmetic on them: the same for every row."""
    return not any(
        isinstance(part, exp.Column | exp.Subquery | exp.Select | exp.Window)
        for part in node.walk()
    )


def _month_column() -> exp.Column:
    return exp.column(MONTH_COLUMN)


def _month_of(value: exp.Expr) -> exp.Expr:
    stamp = exp.Cast(this=value.copy(), to=exp.DataType.build("TIMESTAMP"))
    return exp.Anonymous(
        this="date_format", expressions=[stamp, exp.Literal.string("yyyy-MM")]
    )


def _bounded(table: exp.Table, conditions: list[exp.Expr]) -> exp.Subquery:
    columns = [exp.column(column.name) for column in metadata.tables[table.name].columns]
    inner = (
        exp.select(*columns)
        .from_(exp.to_table(table.name + MONTHS_SUFFIX))
        .where(exp.and_(*conditions))
    )
    return inner.subquery(alias=table.alias_or_name)
