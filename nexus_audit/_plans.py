"""Table scans read out of query plans, and what the catalog says of their tables.

PostgreSQL's ``EXPLAIN (FORMAT JSON, VERBOSE)`` and DuckDB's ``EXPLAIN (FORMAT JSON)``
are walked for the nodes that read a table, with the conditions each applies: in the
index (PostgreSQL ``Index Cond``), in the scan (``Filter``, DuckDB's pushed ``Filters``)
or, for DuckDB, in a ``FILTER`` right above the scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

_PG_SCANS = {"Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan"}
_DUCKDB_SCANS = {"SEQ_SCAN", "TABLE_SCAN", "INDEX_SCAN"}
_DUCKDB_PASS = {"PROJECTION"}
_COMPARE = r"(?:<=|>=|<(?!>)|(?<!<)>)"


@dataclass(frozen=True)
class Scan:
    """One node of a plan that reads a table, with the conditions it applies."""

    schema: str
    table: str
    alias: str | None = None
    conditions: tuple[str, ...] = ()
    index_conditions: tuple[str, ...] = ()
    index: str | None = None
    later_conditions: tuple[str, ...] = ()
    catalog: str | None = None
    whole_table: bool = False
    rows: float = -1.0


@dataclass(frozen=True)
class TableInfo:
    """A scanned table's time columns, the indexes led by each, and its size."""

    schema: str
    table: str
    time_columns: tuple[str, ...]
    indexes: dict[str, str] = field(default_factory=dict)
    rows: int = -1

    @property
    def name(self) -> str:
        return f"{self.schema}.{self.table}" if self.schema else self.table

    def is_large(self, min_rows: int) -> bool:
        """At least ``min_rows`` rows, or never counted (PostgreSQL before ANALYZE)."""
        return self.rows < 0 or self.rows >= min_rows

    @property
    def size(self) -> str:
        return (
            f"about {self.rows:,} rows" if self.rows >= 0 else "size not yet analysed"
        )


def ranges(column: str, alias: str | None, conditions: tuple[str, ...]) -> bool:
    """Whether a condition compares ``column`` itself (not an expression of it) by order.

    Only such a bare comparison can be served by an index on the column.
    """
    qualifier = rf'(?:"?{re.escape(alias)}"?\.)?' if alias else r'(?:"?[\w$ -]+"?\.)?'
    name = rf'{qualifier}"?{re.escape(column)}"?'
    left = rf'(?<![\w."]){name}(?![\w"])\s*{_COMPARE}'
    right = rf'{_COMPARE}\s*{name}(?![\w".])'
    pattern = re.compile(f"{left}|{right}")

    return any(pattern.search(text) for text in conditions)


def equalities(alias: str | None, conditions: tuple[str, ...]) -> tuple[str, ...]:
    """Columns that a top-level ``AND`` term compares, whole, with a constant.

    Only such a term can be served by an index keyed on the column. PostgreSQL writes a
    ``varchar`` column cast to text, ``((a.kind)::text = 'x'::text)``, and a list as
    ``= ANY ('{x,y}'::text[])``; a function of the column, an ``OR`` or a comparison
    inside a string is no such term.
    """
    ident = r'(?:"(?:[^"]|"")+"|\w+)'
    qualifier = rf'(?:"?{re.escape(alias)}"?\.)' if alias else rf"(?:{ident}\.)?"
    column = rf"(?:\({qualifier}({ident})\)::[\w ]+|{qualifier}({ident}))"
    constant = r"(?:''(?:::[\w ]+(?:\[\])?)?|-?\d[\d.]*)"
    term = re.compile(rf"{column} = (?:ANY \({constant}\)|{constant})")
    found = []

    for text in conditions:
        for part in _and_terms(_STRING.sub("''", text)):
            match = term.fullmatch(part)
            if match:
                found.append(_unquoted(match.group(1) or match.group(2)))

    return tuple(dict.fromkeys(found))


_STRING = re.compile(r"'(?:[^']|'')*'")


def _and_terms(text: str) -> list[str]:
    """The terms a condition joins with ``AND`` at its top level, parentheses removed."""
    text = _unwrapped(text.strip())
    terms, depth, start = [], 0, 0

    for position, character in enumerate(text):
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth == 0 and text.startswith(" AND ", position):
            terms.append(_unwrapped(text[start:position].strip()))
            start = position + len(" AND ")

    if not terms:
        return [text]
    return [*terms, _unwrapped(text[start:].strip())]


def _unwrapped(text: str) -> str:
    """``text`` without the parentheses that enclose all of it."""
    while text.startswith("(") and _closing(text) == len(text) - 1:
        text = text[1:-1].strip()
    return text


def _closing(text: str) -> int:
    """Where the parenthesis opening ``text`` closes, or -1."""
    depth = 0
    for position, character in enumerate(text):
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth == 0:
            return position
    return -1


def _unquoted(name: str) -> str:
    return name[1:-1].replace('""', '"') if name.startswith('"') else name


def postgres_scans(explained: Any) -> Iterator[Scan]:
    """Every table scan in a PostgreSQL JSON plan, subplans included."""
    yield from _postgres_node(explained[0]["Plan"])


def _postgres_node(node: dict[str, Any], workers: int = 0) -> Iterator[Scan]:
    if node["Node Type"] in _PG_SCANS:
        names, used = _index_use(node)
        conditions = [node.get(key) for key in ("Filter", "Index Cond", "Recheck Cond")]
        yield Scan(
            schema=node.get("Schema", ""),
            table=node["Relation Name"],
            alias=node.get("Alias"),
            conditions=tuple(text for text in conditions if text),
            index_conditions=tuple(used),
            index=", ".join(names) or None,
            whole_table=node["Node Type"] == "Seq Scan",
            rows=_all_rows(node, workers),
        )

    workers = node.get("Workers Planned", workers)
    for child in node.get("Plans", []):
        yield from _postgres_node(child, workers)


def _all_rows(node: dict[str, Any], workers: int) -> float:
    """The rows a scan keeps in all; a parallel one's estimate is per process.

    PostgreSQL divides by the workers plus the leader's share, 1 - 0.3 per worker
    (``get_parallel_divisor`` in costsize.c).
    """
    rows = float(node.get("Plan Rows", -1))
    if not node.get("Parallel Aware") or workers <= 0 or rows < 0:
        return rows

    return rows * (workers + max(0.0, 1.0 - 0.3 * workers))


def _index_use(node: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Index names and conditions of a scan, or of the bitmap index scans under it."""
    if node["Node Type"] != "Bitmap Heap Scan":
        name, condition = node.get("Index Name"), node.get("Index Cond")
        return [name] if name else [], [condition] if condition else []

    names: list[str] = []
    conditions: list[str] = []
    pending = list(node.get("Plans", []))
    while pending:
        child = pending.pop()
        if child["Node Type"] == "Bitmap Index Scan":
            names.append(child["Index Name"])
            conditions.append(child.get("Index Cond", ""))
        pending.extend(child.get("Plans", []))

    return names, conditions


def duckdb_scans(plan: Any) -> Iterator[Scan]:
    """Every table scan in a DuckDB JSON plan, with a FILTER applied right above it."""
    for root in plan:
        yield from _duckdb_node(root, ())


def _duckdb_node(node: dict[str, Any], above: tuple[str, ...]) -> Iterator[Scan]:
    kind = str(node.get("name", "")).strip()
    info = node.get("extra_info") or {}

    if kind in _DUCKDB_SCANS and "Table" in info:
        catalog, schema, table = _duckdb_table(str(info["Table"]))
        yield Scan(
            schema=schema,
            table=table,
            conditions=_texts(info.get("Filters")),
            later_conditions=above,
            catalog=catalog,
        )

    if kind == "FILTER":
        passed = _texts(info.get("Expression"))
    elif kind in _DUCKDB_PASS:
        passed = above
    else:
        passed = ()

    for child in node.get("children", []):
        yield from _duckdb_node(child, passed)


_IDENTIFIER = re.compile(r'"((?:[^"]|"")*)"|([^."]+)')


def _duckdb_table(name: str) -> tuple[str | None, str, str]:
    """Catalog, schema and table of a plan's name; DuckDB quotes a file name like a-b."""
    parts = [
        quoted.replace('""', '"') if quoted else bare
        for quoted, bare in _IDENTIFIER.findall(name)
    ]
    if len(parts) >= 3:
        return ".".join(parts[:-2]), parts[-2], parts[-1]
    if len(parts) == 2:
        return None, parts[0], parts[1]
    return None, "", parts[0]


def _texts(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    return (str(value),)


def table_info(connection: Connection, scan: Scan) -> TableInfo:
    """What the catalog says of a scanned table."""
    if connection.dialect.name == "postgresql":
        return _postgres_info(connection, scan)
    return _duckdb_info(connection, scan)


_PG_TABLE = (
    "JOIN pg_class AS t ON t.oid = {oid} "
    "JOIN pg_namespace AS n ON n.oid = t.relnamespace "
    "WHERE n.nspname = :schema AND t.relname = :table"
)
_PG_TIME_COLUMNS = (
    "SELECT a.attname FROM pg_attribute AS a "
    + _PG_TABLE.format(oid="a.attrelid")
    + " AND a.attnum > 0 AND NOT a.attisdropped AND a.atttypid IN "
    "('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype) ORDER BY a.attnum"
)
_PG_INDEXES = (
    "SELECT a.attname, c.relname FROM pg_index AS i "
    "JOIN pg_class AS c ON c.oid = i.indexrelid "
    "JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
    + _PG_TABLE.format(oid="i.indrelid")
    + " ORDER BY c.relname DESC"
)
# Before its first ANALYZE a table's estimate is -1; an empty file still means no rows.
_PG_ROWS = (
    "SELECT CASE WHEN t.reltuples >= 0 THEN t.reltuples "
    "WHEN pg_relation_size(t.oid) = 0 THEN 0 ELSE -1 END FROM pg_class AS t "
    "JOIN pg_namespace AS n ON n.oid = t.relnamespace "
    "WHERE n.nspname = :schema AND t.relname = :table"
)


def _postgres_info(connection: Connection, scan: Scan) -> TableInfo:
    """Time columns, the indexes they lead, and the planner's row estimate (-1: none)."""
    where = {"schema": scan.schema, "table": scan.table}
    columns = connection.execute(sa.text(_PG_TIME_COLUMNS), where).scalars().all()
    indexes = connection.execute(sa.text(_PG_INDEXES), where).all()
    rows = connection.execute(sa.text(_PG_ROWS), where).scalar()

    return TableInfo(
        scan.schema,
        scan.table,
        tuple(columns),
        {column: name for column, name in indexes},
        int(rows) if rows is not None else -1,
    )


def counted_up_to(connection: Connection, info: TableInfo, cap: int) -> int:
    """The table's rows, counted no further than ``cap`` (a bounded, read-only scan)."""
    quote = connection.dialect.identifier_preparer.quote
    name = f"{quote(info.schema)}.{quote(info.table)}"
    statement = sa.text(f"SELECT count(*) FROM (SELECT 1 FROM {name} LIMIT :cap) AS s")

    return int(connection.execute(statement, {"cap": cap}).scalar_one())


_DUCKDB_TIME_COLUMNS = (
    "SELECT column_name FROM information_schema.columns "
    "WHERE table_catalog = :catalog AND table_schema = :schema AND table_name = :table "
    "AND (data_type LIKE 'TIMESTAMP%' OR data_type = 'DATE') ORDER BY ordinal_position"
)
_DUCKDB_ROWS = (
    "SELECT estimated_size FROM duckdb_tables() "
    "WHERE database_name = :catalog AND schema_name = :schema AND table_name = :table"
)


def _duckdb_info(connection: Connection, scan: Scan) -> TableInfo:
    """Time columns and row count; DuckDB's ART indexes do not serve ranges."""
    current = "SELECT current_database(), current_schema()"
    catalog, schema = connection.execute(sa.text(current)).one()
    where = {
        "catalog": scan.catalog or catalog,
        "schema": scan.schema or schema,
        "table": scan.table,
    }
    columns = connection.execute(sa.text(_DUCKDB_TIME_COLUMNS), where).scalars().all()
    rows = connection.execute(sa.text(_DUCKDB_ROWS), where).scalar()

    return TableInfo(
        str(where["schema"]), scan.table, tuple(columns), {}, int(rows or 0)
    )
