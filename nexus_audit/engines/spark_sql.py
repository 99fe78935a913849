"""The shipped queries in Spark SQL, translated by sqlglot rather than kept twice.

The files in ``queries/`` are written in the SQL PostgreSQL and DuckDB both accept; each
is parsed as PostgreSQL and written as Spark SQL, its ``:name`` placeholders kept as
Spark's named parameters. Where sqlglot writes valid Spark SQL that means something else,
or Spark lacks the construct, the parsed tree is rewritten first (:data:`REWRITES`):

- ``EXTRACT(EPOCH FROM a - b)``: Spark extracts no epoch from an interval; the seconds
  are ``unix_micros(a) - unix_micros(b)``, divided by a million.
- ``STRING_AGG(DISTINCT x, sep ORDER BY x)``: sqlglot's ``LISTAGG ... WITHIN GROUP`` fails
  in Spark's optimizer; ``array_join(array_sort(collect_set(x)), sep)`` is the same list.
- ``CAST(x AS TIME)``: Spark has no TIME type; times of day compare as microseconds
  since midnight.
- A placeholder inside a window frame (``RANGE BETWEEN :minutes * INTERVAL '1 minute'
  PRECEDING``): Spark wants frame bounds constant when it parses, so that integer is
  written into the SQL as a number when the query runs, after its type was checked.

Tables split into month folders are read with partition pruning (:mod:`.spark_months`).

A query that cannot be translated stops the audit when the queries load, with the file
and the reason, instead of being skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError

from ..errors import QueryFileError
from ..queries import ParamValue, Query, placeholders
from .spark_months import prune_months

SOURCE_DIALECT = "postgres"
"""The dialect the shipped SQL is read as: PostgreSQL's, which DuckDB also accepts."""


@dataclass(frozen=True)
class SparkQuery:
    """One query's Spark SQL, and the parameters its window frames need as constants."""

    tree: exp.Expr
    frame_params: frozenset[str]
    text: str

    def bind(self, values: dict[str, ParamValue]) -> tuple[str, dict[str, ParamValue]]:
        """The SQL to send and the named arguments Spark binds."""
        if not self.frame_params:
            return self.text, dict(values)

        constants = {name: _number(name, values[name]) for name in self.frame_params}
        tree = self.tree.copy().transform(
            lambda node: constants[node.name]
            if isinstance(node, exp.Placeholder) and node.name in constants
            else node
        )
        tree = tree.transform(_folded_interval)
        args = {k: v for k, v in values.items() if k not in self.frame_params}

        return tree.sql(dialect="spark"), args


def to_spark(query: Query) -> SparkQuery:
    """The query in Spark's dialect; raises QueryFileError naming the file and reason."""
    try:
        translated = _translate(query.sql)
    except SqlglotError as error:
        raise QueryFileError(
            f"query {query.name!r} ({query.path}) cannot be translated to Spark SQL: "
            f"{_first_line(error)}; rewrite the construct named, or run this query "
            "on DuckDB or PostgreSQL"
        ) from error

    lost = placeholders(query.sql) - placeholders(translated.text) - translated.frame_params
    if lost:
        raise QueryFileError(
            f"query {query.name!r} ({query.path}): the Spark SQL translation lost the "
            f"parameter(s) {sorted(lost)}"
        )

    return translated


def translate_all(queries: list[Query]) -> dict[str, SparkQuery]:
    """Every query translated, before any runs: one bad file stops the audit early."""
    return {query.name: to_spark(query) for query in queries}


@lru_cache(maxsize=512)
def _translate(sql: str) -> SparkQuery:
    statements = sqlglot.parse(sql, read=SOURCE_DIALECT, error_level=ErrorLevel.RAISE)
    if len(statements) != 1 or statements[0] is None:
        raise sqlglot.errors.ParseError(
            f"expected one SQL statement, found {len(statements)}"
        )

    tree = statements[0]
    for rewrite in REWRITES:
        tree = tree.transform(rewrite)
    tree = prune_months(tree)

    frame_params = frozenset(
        node.name
        for spec in tree.find_all(exp.WindowSpec)
        for node in spec.find_all(exp.Placeholder)
    )
    text = tree.sql(dialect="spark", unsupported_level=ErrorLevel.RAISE)

    return SparkQuery(tree, frame_params, text)


def _epoch(node: exp.Expr) -> exp.Expr:
    """``EXTRACT(EPOCH FROM ...)`` as seconds since 1970, or between two instants."""
    if not (isinstance(node, exp.Extract) and node.name.upper() == "EPOCH"):
        return node

    inner = node.expression.unnest()
    micros: exp.Expr = _micros(inner)
    if isinstance(inner, exp.Sub):
        micros = exp.Sub(this=_micros(inner.this), expression=_micros(inner.expression))

    seconds = exp.Div(this=exp.Paren(this=micros), expression=exp.Literal.number("1e6"))
    return exp.Paren(this=seconds)


def _micros(value: exp.Expr) -> exp.Expr:
    cast = exp.Cast(this=value.copy(), to=exp.DataType.build("TIMESTAMP"))
    return exp.Anonymous(this="unix_micros", expressions=[cast])


def _distinct_list(node: exp.Expr) -> exp.Expr:
    """``STRING_AGG(DISTINCT x, sep ORDER BY x)`` as the sorted set joined by ``sep``."""
    if not isinstance(node, exp.GroupConcat) or not isinstance(node.this, exp.Order):
        return node

    order = node.this
    distinct = order.this
    keys = [ordered.this for ordered in order.expressions]
    if not (
        isinstance(distinct, exp.Distinct)
        and len(distinct.expressions) == 1
        and keys == [distinct.expressions[0]]
        and not order.expressions[0].args.get("desc")
    ):
        raise sqlglot.errors.UnsupportedError(
            "STRING_AGG is translated only as STRING_AGG(DISTINCT x, sep ORDER BY x)"
        )

    values = exp.Anonymous(
        this="array_sort",
        expressions=[exp.Anonymous(this="collect_set", expressions=[keys[0].copy()])],
    )
    separator = node.args.get("separator") or exp.Literal.string(",")
    return exp.Anonymous(this="array_join", expressions=[values, separator.copy()])


def _filtered_list(node: exp.Expr) -> exp.Expr:
    """``STRING_AGG(...) FILTER (WHERE c)``: the filter moves onto the inner aggregate."""
    if not (isinstance(node, exp.Filter) and isinstance(node.this, exp.GroupConcat)):
        return node

    joined = _distinct_list(node.this)
    sort = joined.expressions[0]
    collect = sort.expressions[0]
    sort.set("expressions", [exp.Filter(this=collect, expression=node.expression)])
    return joined


def _json_text(node: exp.Expr) -> exp.Expr:
    """``CAST(x AS JSON) ->> 'k'``: Spark reads JSON from text, so the cast goes."""
    if not isinstance(node, exp.JSONExtractScalar | exp.JSONExtract):
        return node

    source = node.this
    if isinstance(source, exp.Cast) and source.to.is_type("json"):
        node.set("this", source.this)
    return node


def _iso_weekday(node: exp.Expr) -> exp.Expr:
    """``EXTRACT(ISODOW ...)``, Monday 1 to Sunday 7, is Spark's ``DAYOFWEEK_ISO``."""
    if isinstance(node, exp.Extract) and node.name.upper() == "ISODOW":
        node.set("this", exp.var("DAYOFWEEK_ISO"))
    return node


def _date_difference(node: exp.Expr) -> exp.Expr:
    """``date - date`` is a number of days in PostgreSQL, an interval in Spark."""
    if not isinstance(node, exp.Sub):
        return node

    left, right = node.this.unnest(), node.expression.unnest()
    if _is_date(left) and _is_date(right):
        return exp.Anonymous(this="datediff", expressions=[left.copy(), right.copy()])
    return node


def _is_date(node: exp.Expr) -> bool:
    return isinstance(node, exp.Cast) and node.to.is_type("date")


def _series(node: exp.Expr) -> exp.Expr:
    """``FROM generate_series(a, b) AS m(n)``: Spark's ``explode(sequence(a, b))``."""
    if not isinstance(node, exp.Table) or not isinstance(node.this, exp.GenerateSeries):
        return node

    series = node.this
    bounds = [series.args["start"].copy(), series.args["end"].copy()]
    if series.args.get("step") is not None:
        bounds.append(series.args["step"].copy())
    sequence = exp.Anonymous(this="sequence", expressions=bounds)
    node.set("this", exp.Anonymous(this="explode", expressions=[sequence]))
    return node


def _time_of_day(node: exp.Expr) -> exp.Expr:
    """``CAST(x AS TIME)`` as microseconds since midnight: Spark has no TIME type yet.

    The queries only compare times of day, which numbers do the same way; text such as
    ``'08:30'`` is read as that time on 1 January 1970 (the session clock is UTC).
    """
    if not (isinstance(node, exp.Cast) and node.to.is_type("time")):
        return node

    value = node.this
    if isinstance(value, exp.Placeholder) or value.is_string:
        day = exp.Anonymous(
            this="concat", expressions=[exp.Literal.string("1970-01-01 "), value.copy()]
        )
        stamp = exp.Anonymous(this="to_timestamp", expressions=[day])
        return exp.Anonymous(this="unix_micros", expressions=[stamp])

    midnight = exp.Cast(
        this=exp.Cast(this=value.copy(), to=exp.DataType.build("DATE")),
        to=exp.DataType.build("TIMESTAMP"),
    )
    return exp.Paren(this=exp.Sub(this=_micros(value), expression=_micros(midnight)))


def _folded_interval(node: exp.Expr) -> exp.Expr:
    """``10 * INTERVAL '1' MINUTE`` as ``INTERVAL '10' MINUTE``: a frame bound literal."""
    if not (
        isinstance(node, exp.Mul)
        and isinstance(node.this, exp.Literal)
        and isinstance(node.expression, exp.Interval)
        and node.find_ancestor(exp.WindowSpec) is not None
    ):
        return node

    interval = node.expression
    amount = float(node.this.this) * float(interval.this.name)
    text = str(int(amount)) if amount.is_integer() else str(amount)
    return exp.Interval(this=exp.Literal.string(text), unit=interval.args.get("unit"))


REWRITES: tuple[Callable[[exp.Expr], exp.Expr], ...] = (
    _epoch,
    _filtered_list,
    _distinct_list,
    _json_text,
    _iso_weekday,
    _date_difference,
    _series,
    _time_of_day,
)


def _number(name: str, value: ParamValue) -> exp.Expr:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise QueryFileError(
            f"parameter :{name} bounds a window frame, which Spark needs as a number; "
            f"got {value!r}"
        )
    return exp.Literal.number(value)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
