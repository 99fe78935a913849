"""pgAudit records (``AUDIT: SESSION,…`` or ``AUDIT: OBJECT,…``) from server logs or notices.

A record is CSV: audit type, statement id, substatement id, class, command, object
type, object name, statement, parameter and, in newer versions, rows. A quoted
statement may run over several lines; the record continues until its quotes close.
The time comes from the line prefix (``log_line_prefix`` starting with ``%m`` or
``%t``); records without one (client notices, as in pgAudit's own test output) are
stored with no time and counted as such. Class ROLE (GRANT, REVOKE, CREATE/ALTER/DROP
ROLE) becomes a ``privilege_change`` event; other classes ``db_<class>``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .addresses import normalise
from .lines import text_lines
from .records import Event, FileRead, Options, Record, Skip
from .stamps import Occurrences

_MARK = "AUDIT: "
_FIELDS = (
    "audit_type",
    "statement_id",
    "substatement_id",
    "class",
    "command",
    "object_type",
    "object_name",
    "statement",
    "parameter",
    "rows",
)
_STAMP = re.compile(
    r"^(?P<stamp>\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?)"
    r"(?: ?(?P<zone>UTC|GMT|Z|[+-]\d{2}(?::?\d{2})?))?"
)
_USER = re.compile(r"(?:\buser=(?P<user>[^,\s\]]+)|\s(?P<user2>[\w.-]+)@[\w.-]+)")
_HOST = re.compile(r"\b(?:host|client|remote)=\[?(?P<ip>[0-9A-Fa-f.:]+)")
_LEVEL = re.compile(r"(?P<level>[A-Z]+):\s+$")


def read(paths: Sequence[Path], options: Options) -> Iterator[Record]:
    """Every pgAudit record of every file; other lines are reported as skipped."""
    for path in paths:
        yield from _file(path, options.zone)


def _file(path: Path, zone: ZoneInfo) -> Iterator[Record]:
    occurrences = Occurrences()
    open_record: _Open | None = None
    last = 0

    for item in text_lines(path):
        if isinstance(item, Skip):
            last = max(last, item.line)
            yield item
            continue
        last, text = item

        if open_record is not None and not _starts_record(text):
            open_record.add(last, text)
            if _closed(open_record.body):
                record = _record(
                    path.name,
                    open_record.start,
                    open_record.prefix,
                    open_record.body,
                    zone,
                    occurrences,
                )
                yield from open_record.outcome(path.name, record)
                open_record = None
            continue
        if open_record is not None:
            yield from open_record.unterminated(path.name)
            open_record = None

        if _MARK not in text:
            yield Skip(path.name, last, "not a pgAudit record")
            continue

        prefix, body = text.split(_MARK, 1)
        if _closed(body):
            yield _record(path.name, last, prefix, body, zone, occurrences)
        else:
            open_record = _Open(last, prefix, body)

    if open_record is not None:
        yield from open_record.unterminated(path.name)

    yield FileRead(path.name, last)


class _Open:
    """A record whose quoted statement runs on over the next lines."""

    def __init__(self, start: int, prefix: str, body: str) -> None:
        self.start, self.prefix, self.body = start, prefix, body
        self.more: list[int] = []

    def add(self, number: int, text: str) -> None:
        self.body = f"{self.body}\n{text}"
        self.more.append(number)

    def outcome(self, file: str, record: Record) -> Iterator[Record]:
        """The record; if it is a Skip, each of its further lines is reported too."""
        yield record
        if isinstance(record, Skip):
            for number in self.more:
                yield Skip(
                    file, number, f"part of the pgAudit record at line {self.start}"
                )

    def unterminated(self, file: str) -> Iterator[Skip]:
        yield Skip(file, self.start, "pgAudit record whose quoted statement never ends")
        for number in self.more:
            yield Skip(
                file,
                number,
                f"part of the unterminated pgAudit record at line {self.start}",
            )


def _starts_record(text: str) -> bool:
    """True for a line that opens a new record (``… LOG:  AUDIT: ``), ending an open one."""
    if _MARK not in text:
        return False
    return _LEVEL.search(text.split(_MARK, 1)[0]) is not None


def _closed(body: str) -> bool:
    """True when every quoted field is closed (doubled quotes are escapes, so: even)."""
    return body.count('"') % 2 == 0


def _record(
    file: str, number: int, prefix: str, body: str, zone: ZoneInfo, seen: Occurrences
) -> Record:
    try:
        values = next(csv.reader([body]), [])
    except csv.Error as error:
        return Skip(file, number, f"pgAudit record is not CSV ({error})")
    if len(values) < 9 or values[0] not in ("SESSION", "OBJECT"):
        return Skip(
            file, number, f"pgAudit record with {len(values)} fields, not 9 or 10"
        )

    fields = dict(zip(_FIELDS, values, strict=False))
    try:
        created_at = _time(prefix, zone)
    except (ValueError, OverflowError) as error:
        return Skip(file, number, f"pgAudit record with an impossible time ({error})")
    second = int(created_at.timestamp()) if created_at else 0
    text = f"pgaudit|{prefix.strip()}|{body}"
    key = f"{text}#{seen.count(second, text)}"
    audit_class = fields["class"].upper()
    user = _USER.search(prefix)
    host = _HOST.search(prefix)
    level = _LEVEL.search(prefix)

    return Event(
        key=f"{key}/0",
        created_at=created_at,
        event_type="privilege_change"
        if audit_class == "ROLE"
        else f"db_{audit_class.lower()}",
        account=(user["user"] or user["user2"]) if user else None,
        actor_ip=normalise(host["ip"]) if host else None,
        resource=fields["object_name"] or fields["command"],
        outcome=None,
        details={"level": level["level"] if level else None, **fields},
    )


def _time(prefix: str, zone: ZoneInfo) -> datetime | None:
    match = _STAMP.match(prefix.strip())
    if match is None:
        return None

    stamp = datetime.fromisoformat(match["stamp"].replace(" ", "T"))
    offset = match["zone"]
    if offset in ("UTC", "GMT", "Z"):
        return stamp.replace(tzinfo=UTC)
    if offset:
        stamp = datetime.fromisoformat(f"{match['stamp'].replace(' ', 'T')}{offset}")
        return stamp.astimezone(UTC)

    return stamp.replace(tzinfo=zone).astimezone(UTC)
