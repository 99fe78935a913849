"""Point a TOML file's validation errors at a line, an entry and a field.

tomllib keeps no positions, so lines are found in the text: the n-th ``[[controls]]``
header (or ``[[waivers]]``, ``[[attestations]]``) opens entry n, and a field is the
first ``name =`` line (or ``[controls.name]`` table) inside that block. A field that is
missing points at the block's header.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError


def _blocks(lines: list[str], array: str = "controls") -> list[int]:
    """Line indexes of the ``[[array]]`` headers."""
    header = re.compile(rf"^\s*\[\[\s*{re.escape(array)}\s*\]\]\s*(#.*)?$")
    return [i for i, line in enumerate(lines) if header.match(line)]


def _find(
    lines: list[str], start: int, stop: int, field: str, array: str = "controls"
) -> int | None:
    assignment = re.compile(rf"^\s*[\"']?{re.escape(field)}[\"']?\s*=")
    table = re.compile(rf"^\s*\[\s*{re.escape(array)}\.{re.escape(field)}\s*\]")

    for index in range(start, stop):
        if assignment.match(lines[index]) or table.match(lines[index]):
            return index

    return None


def line_of_control(
    text: str, index: int, field: str | None = None, array: str = "controls"
) -> int:
    """1-based line of ``field`` in entry ``index`` (its header when not found)."""
    lines = text.splitlines()
    headers = _blocks(lines, array)
    if index >= len(headers):
        return 1

    start = headers[index]
    stop = headers[index + 1] if index + 1 < len(headers) else len(lines)
    found = _find(lines, start + 1, stop, field, array) if field else None

    return (found if found is not None else start) + 1


def line_of_top(text: str, field: str) -> int:
    """1-based line of a framework-level field (1 when it is missing)."""
    lines = text.splitlines()
    headers = _blocks(lines)
    found = _find(lines, 0, headers[0] if headers else len(lines), field)

    return (found or 0) + 1


def explain(
    path: Path,
    text: str,
    data: dict[str, Any],
    error: ValidationError,
    array: str = "controls",
) -> str:
    """One line per problem: ``file:line: control X: field f: message``."""
    problems = []

    for item in error.errors():
        location = [str(part) for part in item["loc"]]
        problems.append(_one(path, text, data, location, item["msg"], array))

    return "; ".join(problems)


def _one(
    path: Path,
    text: str,
    data: dict[str, Any],
    location: list[str],
    message: str,
    array: str,
) -> str:
    if len(location) >= 2 and location[0] == array and location[1].isdigit():
        index = int(location[1])
        field = ".".join(location[2:]) or None
        top_field = location[2] if len(location) > 2 else None
        line = line_of_control(text, index, top_field, array)
        where = f"{array.rstrip('s')} {_label(data, array, index)}"
        where += f": field {field}" if field else ""
        return f"{path}:{line}: {where}: {message}"

    field = ".".join(location) or "file"
    line = line_of_top(text, location[0]) if location else 1

    return f"{path}:{line}: field {field}: {message}"


def _label(data: dict[str, Any], array: str, index: int) -> str:
    """The entry's id (or control) when it has one, else its position."""
    entries = data.get(array)
    if isinstance(entries, list) and index < len(entries):
        entry = entries[index]
        if isinstance(entry, dict):
            for key in ("id", "control"):
                if key in entry:
                    return str(entry[key])

    return f"#{index + 1}"
