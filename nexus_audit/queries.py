"""Load the named SQL queries in ``queries/`` and check them before any audit runs.

Each file holds one statement behind a header of ``-- key: value`` lines::

    -- name: brute_force_by_source        (must equal the file name)
    -- description: one line for the report
    -- tables: login_attempts, users     (tables the query reads)
    -- state: period | period_end | current
    -- note: optional caveat shown in the methodology section (repeatable)
    -- param: window_minutes integer = 10 (one per placeholder, default optional)
    -- column: client_ip text             (one per result column, in order)

Placeholders are ``:name`` and are always bound, never formatted into the text. A file
whose declared parameters differ from its placeholders is rejected when it loads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .errors import QueryFileError
from .model import metadata
from .resources import queries_dir

PARAM_TYPES = {"timestamp", "integer", "float", "text", "boolean"}
COLUMN_TYPES = PARAM_TYPES | {"date"}
STATES = {"period", "period_end", "current"}

_HEADER = re.compile(r"^--\s*(\w+):\s*(.*?)\s*$")
_PLACEHOLDER = re.compile(r"(?<![:\w]):(?!:)([A-Za-z_]\w*)")
_STRING = re.compile(r"'(?:[^']|'')*'")
_COMMENT = re.compile(r"--[^\n]*")
_PARAM = re.compile(r"^(\w+)\s+(\w+)(?:\s*=\s*(.+))?$")
_COLUMN = re.compile(r"^(\w+)\s+(\w+)$")

ParamValue = datetime | int | float | str | bool


@dataclass(frozen=True)
class Param:
    """A declared placeholder with its type and optional default."""

    name: str
    type: str
    default: ParamValue | None = None


@dataclass(frozen=True)
class Query:
    """One named query, checked and ready to run."""

    name: str
    description: str
    tables: tuple[str, ...]
    state: str
    params: tuple[Param, ...]
    columns: tuple[tuple[str, str], ...]
    sql: str
    path: Path
    notes: tuple[str, ...] = field(default=())

    def bind(self, values: dict[str, ParamValue]) -> dict[str, ParamValue]:
        """Values for every placeholder: given ones first, then defaults."""
        bound: dict[str, ParamValue] = {}

        for param in self.params:
            if param.name in values:
                bound[param.name] = values[param.name]
            elif param.default is not None:
                bound[param.name] = param.default
            else:
                raise QueryFileError(
                    f"query {self.name!r} ({self.path.name}) needs a value for "
                    f":{param.name} and declares no default"
                )

        return bound


def load_queries(folder: Path | None = None) -> dict[str, Query]:
    """Every ``*.sql`` file of ``folder`` (the shipped queries by default), by name."""
    folder = folder or queries_dir()
    queries = [parse_query(path) for path in sorted(folder.glob("*.sql"))]

    if not queries:
        raise QueryFileError(f"no *.sql query files in {folder}")

    return {query.name: query for query in queries}


def parse_query(path: Path) -> Query:
    """Parse and check one query file; errors name the file and line."""
    text = path.read_text(encoding="utf-8")
    header, body_start = _read_header(path, text)
    sql = "\n".join(text.splitlines()[body_start:]).strip()

    if not sql:
        raise QueryFileError(f"{path}: the file has a header but no SQL statement")

    query = Query(
        name=_one(path, header, "name"),
        description=_one(path, header, "description"),
        tables=_tables(path, header),
        state=_state(path, header),
        params=tuple(
            _param(path, line, value) for line, value in header.get("param", [])
        ),
        columns=tuple(
            _column(path, line, value) for line, value in header.get("column", [])
        ),
        sql=sql,
        path=path,
        notes=tuple(value for _, value in header.get("note", [])),
    )
    _check(query)

    return query


def placeholders(sql: str) -> set[str]:
    """Names of the ``:name`` placeholders, ignoring comments, strings and ``::`` casts."""
    stripped = _COMMENT.sub("", _STRING.sub("''", sql))
    return set(_PLACEHOLDER.findall(stripped))


def _read_header(path: Path, text: str) -> tuple[dict[str, list[tuple[int, str]]], int]:
    header: dict[str, list[tuple[int, str]]] = {}
    lines = text.splitlines()

    for index, line in enumerate(lines):
        match = _HEADER.match(line)
        if match is None:
            return header, index
        header.setdefault(match.group(1), []).append((index + 1, match.group(2)))

    raise QueryFileError(f"{path}: the file holds only header lines, no SQL statement")


def _one(path: Path, header: dict[str, list[tuple[int, str]]], key: str) -> str:
    entries = header.get(key, [])
    if len(entries) != 1 or not entries[0][1]:
        raise QueryFileError(
            f"{path}: the header needs exactly one '-- {key}: ...' line"
        )
    return entries[0][1]


def _tables(path: Path, header: dict[str, list[tuple[int, str]]]) -> tuple[str, ...]:
    line = header.get("tables", [(1, "")])[0][0]
    names = tuple(t.strip() for t in _one(path, header, "tables").split(","))
    unknown = [name for name in names if name not in metadata.tables]

    if unknown:
        raise QueryFileError(
            f"{path}:{line}: unknown table(s) {unknown}; the data model has "
            f"{sorted(metadata.tables)}"
        )
    return names


def _state(path: Path, header: dict[str, list[tuple[int, str]]]) -> str:
    state = _one(path, header, "state")
    if state not in STATES:
        raise QueryFileError(
            f"{path}: state must be one of {sorted(STATES)}, got {state!r}"
        )
    return state


def _param(path: Path, line: int, value: str) -> Param:
    match = _PARAM.match(value)
    if match is None or match.group(2) not in PARAM_TYPES:
        raise QueryFileError(
            f"{path}:{line}: write a parameter as 'name type [= default]' with a type "
            f"from {sorted(PARAM_TYPES)}; got {value!r}"
        )

    name, kind, default = match.groups()
    return Param(
        name, kind, None if default is None else _convert(path, line, kind, default)
    )


def _column(path: Path, line: int, value: str) -> tuple[str, str]:
    match = _COLUMN.match(value)
    if match is None or match.group(2) not in COLUMN_TYPES:
        raise QueryFileError(
            f"{path}:{line}: write a column as 'name type' with a type from "
            f"{sorted(COLUMN_TYPES)}; got {value!r}"
        )
    return match.group(1), match.group(2)


def _convert(path: Path, line: int, kind: str, text: str) -> ParamValue:
    try:
        if kind == "integer":
            return int(text)
        if kind == "float":
            return float(text)
        if kind == "boolean":
            return {"true": True, "false": False}[text.lower()]
        if kind == "timestamp":
            return datetime.fromisoformat(text)
    except (ValueError, KeyError) as error:
        raise QueryFileError(
            f"{path}:{line}: default {text!r} is not a {kind}"
        ) from error

    return text.strip("'\"")


def _check(query: Query) -> None:
    if query.name != query.path.stem:
        raise QueryFileError(
            f"{query.path}: the header names the query {query.name!r} but the file is "
            f"{query.path.name}; they must match"
        )

    declared = [param.name for param in query.params]
    if len(set(declared)) != len(declared):
        raise QueryFileError(f"{query.path}: a parameter is declared twice: {declared}")

    used = placeholders(query.sql)
    undeclared = sorted(used - set(declared))
    unused = sorted(set(declared) - used)
    if undeclared:
        line = _line_of(query.path, f":{undeclared[0]}")
        raise QueryFileError(
            f"{query.path}:{line}: placeholder(s) {undeclared} are not declared; add "
            "'-- param: name type' lines for them"
        )
    if unused:
        raise QueryFileError(
            f"{query.path}: declared parameter(s) {unused} differ from the placeholders "
            "in the SQL: remove the '-- param:' lines or use them"
        )

    if not query.columns:
        raise QueryFileError(
            f"{query.path}: declare the result columns with '-- column:'"
        )


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(
        (
            n
            for n, line in enumerate(lines, 1)
            if needle in line and not line.lstrip().startswith("--")
        ),
        1,
    )
