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
import gzip
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .addresses import normalise
from .lines import is_gzip, text_lines
from .records import Attempt, Event, FileRead, Options, Record, Skip
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
        yield from _rows(path, _csv_rows(path), options)


def read_jsonl(paths: Sequence[Path], options: Options) -> Iterator[Record]:
    """One JSON object per line."""
    for path in paths:
        yield from _rows(path, _json_rows(path), options)


def _csv_rows(path: Path) -> Iterator[tuple[int, Mapping[str, object]] | Skip]:
    raw = gzip.open(path, "rb") if is_gzip(path) else path.open("rb")
    with io.TextIOWrapper(
        raw, encoding="utf-8", errors="surrogateescape", newline=""
    ) as text:
        reader = csv.DictReader(text)
        for row in reader:
            if any(isinstance(v, str) and _has_surrogate(v) for v in row.values()):
                yield Skip(path.name, reader.line_num, "not valid UTF-8 text")
                continue
            yield reader.line_num, row


def _has_surrogate(text: str) -> bool:
    return any("\udc80" <= char <= "\udcff" for char in text)


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
        if not isinstance(value, dict):
            yield Skip(path.name, number, "JSON line is not an object")
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
    key = f"{options.table}|{text}#{seen.count(int(created_at.timestamp()), text)}"

    if options.table == "audit_log":
        return _event(row, get, key, created_at, options.column_map)

    return Attempt(
        key=key,
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
    raise RowError(f"{name} {value!r} is not true or false")


def _number(value: object, name: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(str(value))
    except ValueError as error:
        raise RowError(f"{name} {value!r} is not a number") from error


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
            f"created_at {value!r} is not an ISO 8601 time or epoch"
        ) from error

    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=zone)
    return stamp.astimezone(UTC)
