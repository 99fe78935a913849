"""Generic CSV and JSON-lines exports of login attempts or audit events.

``Options.table`` says which table the rows feed; ``Options.column_map`` maps our field
names to the export's column names (a JSON key may be a dotted path into nested
objects, ``source.ip``). Unmapped fields are looked up under their own name.

* login attempts need ``created_at`` and ``success``; ``username``, ``client_ip``,
  ``failure_reason``, ``mfa_used``, ``user_agent``, ``country``, ``latitude`` and
  ``longitude`` are read when present.
* audit events need ``created_at`` and ``event_type``; ``username`` (the account),
  ``actor_ip``, ``resource``, ``outcome`` and ``details`` are read when present, and
  the row's other columns are kept in the details.

Times are ISO 8601 or Unix epoch seconds (milliseconds above 10^12); times without a
zone are read in ``--tz``. A row that lacks a required value is reported and skipped.
"""

from __future__ import annotations

import csv
import json
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .addresses import normalise
from .lines import text_lines
from .records import Attempt, Event, FileRead, Options, Record, Skip, unstorable
from .stamps import Occurrences

_TRUE = {"true", "t", "1", "yes", "y", "success", "succeeded", "ok", "accepted", "pass"}
_FALSE = {
    "false",
    "f",
    "0",
    "no",
    "n",
    "failure",
    "failed",
    "fail",
    "denied",
    "rejected",
}
ATTEMPT_FIELDS = (
    "created_at",
    "success",
    "username",
    "client_ip",
    "failure_reason",
    "mfa_used",
    "user_agent",
    "country",
    "latitude",
    "longitude",
)
EVENT_FIELDS = (
    "created_at",
    "event_type",
    "username",
    "actor_ip",
    "resource",
    "outcome",
)


class RowError(ValueError):
    """A row lacks a required value or holds one of the wrong kind."""


def read_csv(paths: Sequence[Path], options: Options) -> Iterator[Record]:
    """Rows of CSV files with a header line."""
    for path in paths:
        yield from _csv_file(path, options)


def read_jsonl(paths: Sequence[Path], options: Options) -> Iterator[Record]:
    """One JSON object per line."""
    for path in paths:
        yield from _rows(path, _json_rows(path), options)


class _Lookahead:
    """Lines with a look at the next few, so a quoted field may span lines."""

    def __init__(self, items: Iterator[tuple[int, str] | Skip]) -> None:
        self.items = items
        self.ahead: deque[tuple[int, str] | Skip] = deque()

    def next(self) -> tuple[int, str] | Skip | None:
        if self.ahead:
            return self.ahead.popleft()
        return next(self.items, None)

    def peek(self, count: int) -> list[tuple[int, str] | Skip]:
        while len(self.ahead) < count:
            item = next(self.items, None)
            if item is None:
                break
            self.ahead.append(item)
        return list(self.ahead)[:count]

    def drop(self, count: int) -> None:
        for _ in range(count):
            self.ahead.popleft()


def _csv_file(path: Path, options: Options) -> Iterator[Record]:
    """Rows of one CSV file; a bad row costs its own line, never the lines after it.

    A row whose quotes stay open joins the next lines (up to ``_MAX_SPAN``) until they
    close, as RFC 4180 allows; when that joined row is no valid record, only its first
    line is reported and reading resumes on the line after it.
    """
    lines = _Lookahead(text_lines(path))
    occurrences = Occurrences()
    header: list[str] | None = None
    last = 0

    while (item := lines.next()) is not None:
        if isinstance(item, Skip):
            last = max(last, item.line)
            yield item
            continue
        last, text = item
        if header is None:
            header = _csv_values(text.lstrip("\ufeff"))
            continue
        if not text.strip():
            yield Skip(path.name, last, "empty line")
            continue

        joined, span = _joined(text, lines)
        try:
            row = _csv_row(header, _csv_values(joined))
            record = _record(row, options, occurrences)
        except RowError as error:
            yield Skip(path.name, last, str(error))
            continue
        lines.drop(span)
        last += span
        yield record

    yield FileRead(path.name, last)


_MAX_SPAN = 50


def _joined(text: str, lines: _Lookahead) -> tuple[str, int]:
    """The row starting with ``text``: joined with following lines while quotes are open."""
    if _closed(text):
        return text, 0

    parts = [text]
    for span, item in enumerate(lines.peek(_MAX_SPAN), start=1):
        if isinstance(item, Skip):
            break
        parts.append(item[1])
        if _closed("".join(parts)):
            return "\n".join(parts), span

    return text, 0


def _closed(text: str) -> bool:
    """True when every quote in ``text`` is closed (doubled quotes escape: an even count)."""
    return text.count('"') % 2 == 0


def _csv_values(text: str) -> list[str]:
    try:
        return next(csv.reader([text]), [])
    except csv.Error as error:
        raise RowError(f"not a CSV row ({error})") from error


def _csv_row(header: list[str], values: list[str]) -> dict[str, object]:
    if len(values) > len(header):
        raise RowError(f"CSV row has {len(values)} fields, the header {len(header)}")

    return dict(zip(header, values, strict=False))


def _json_rows(path: Path) -> Iterator[tuple[int, Mapping[str, object]] | Skip]:
    for item in text_lines(path):
        if isinstance(item, Skip):
            yield item
            continue
        number, text = item
        if not text.strip():
            yield Skip(path.name, number, "empty line")
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            yield Skip(path.name, number, f"not valid JSON ({error.msg})")
            continue
        except (ValueError, RecursionError) as error:
            yield Skip(path.name, number, f"JSON value out of range ({error})"[:200])
            continue
        if not isinstance(value, dict):
            yield Skip(path.name, number, "JSON line is not an object")
            continue
        if reason := unstorable(value):
            yield Skip(path.name, number, reason)
            continue
        yield number, value


def _rows(
    path: Path,
    rows: Iterator[tuple[int, Mapping[str, object]] | Skip],
    options: Options,
) -> Iterator[Record]:
    occurrences = Occurrences()
    last = 0

    for item in rows:
        if isinstance(item, Skip):
            last = max(last, item.line)
            yield item
            continue
        last, row = item
        try:
            yield _record(row, options, occurrences)
        except RowError as error:
            yield Skip(path.name, last, str(error))

    yield FileRead(path.name, last)


def _record(row: Mapping[str, object], options: Options, seen: Occurrences) -> Record:
    get = _getter(row, options.column_map)
    created_at = _time(get("created_at"), options.zone, required=True)
    assert created_at is not None
    text = json.dumps(row, sort_keys=True, default=str)

    if options.table == "audit_log":
        event = _event(row, get, "", created_at, options.column_map)
        return replace(event, key=_key(options, text, created_at, seen))

    attempt = Attempt(
        key="",
        created_at=created_at,
        username=_text(get("username")),
        client_ip=normalise(_text(get("client_ip"))),
        success=_flag(get("success"), "success", required=True) is True,
        failure_reason=_text(get("failure_reason")),
        mfa_used=_flag(get("mfa_used"), "mfa_used"),
        user_agent=_text(get("user_agent")),
        country=(_text(get("country")) or "").upper()[:2] or None,
        latitude=_number(get("latitude"), "latitude"),
        longitude=_number(get("longitude"), "longitude"),
    )
    return replace(attempt, key=_key(options, text, created_at, seen))


def _key(options: Options, text: str, created_at: datetime, seen: Occurrences) -> str:
    """The row's identity, counted only once the row is known to be valid."""
    return f"{options.table}|{text}#{seen.count(int(created_at.timestamp()), text)}"


def _event(
    row: Mapping[str, object],
    get: _Get,
    key: str,
    created_at: datetime,
    column_map: Mapping[str, str],
) -> Event:
    event_type = _text(get("event_type"))
    if not event_type:
        raise RowError(
            f"no event_type (column {column_map.get('event_type', 'event_type')!r})"
        )

    used = {column_map.get(name, name) for name in (*EVENT_FIELDS, "details")}
    details: dict[str, object] = {
        k: v for k, v in row.items() if k not in used and v != ""
    }
    extra = get("details")
    if isinstance(extra, dict):
        details.update(extra)
    elif extra not in (None, ""):
        details["details"] = extra

    return Event(
        key=key,
        created_at=created_at,
        event_type=event_type,
        account=_text(get("username")),
        actor_ip=normalise(_text(get("actor_ip"))),
        resource=_text(get("resource")),
        outcome=_text(get("outcome")),
        details=details,
    )


class _Get:
    def __init__(
        self, row: Mapping[str, object], column_map: Mapping[str, str]
    ) -> None:
        self.row, self.column_map = row, column_map

    def __call__(self, name: str) -> object:
        column = self.column_map.get(name, name)
        if column in self.row:
            return self.row[column]

        value: object = self.row
        for part in column.split("."):
            if not isinstance(value, Mapping) or part not in value:
                return None
            value = value[part]
        return value


def _getter(row: Mapping[str, object], column_map: Mapping[str, str]) -> _Get:
    return _Get(row, column_map)


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if text != "" else None


def _flag(value: object, name: str, required: bool = False) -> bool | None:
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if not text and not required:
        return None
    raise RowError(f"{name} {_shown(value)} is not true or false")


def _number(value: object, name: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(str(value))
    except ValueError as error:
        raise RowError(f"{name} {_shown(value)} is not a number") from error


def _time(value: object, zone: ZoneInfo, required: bool = False) -> datetime | None:
    if value in (None, ""):
        if required:
            raise RowError("no created_at time")
        return None

    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        number = None

    try:
        if number is not None:
            seconds = number / 1000 if number > 1e12 else number
            return datetime.fromtimestamp(seconds, UTC)
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError) as error:
        raise RowError(
            f"created_at {_shown(value)} is not an ISO 8601 time or epoch"
        ) from error

    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=zone)
    try:
        return stamp.astimezone(UTC)
    except OverflowError as error:
        raise RowError(
            f"created_at {_shown(value)} lies outside years 1-9999"
        ) from error


def _shown(value: object) -> str:
    """A value for a message, cut short: a hostile line must not flood the report."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."
