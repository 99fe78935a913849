"""Raw syslog authentication logs (OpenSSH, PAM, sudo, su, account tools), plain or gzip.

Two line shapes are read: the classic ``Mon dd HH:MM:SS host program[pid]: message``
(no year: see :mod:`.years`) and the ISO form ``2025-01-02T03:04:05+00:00 host
program[pid]: message`` that carries its own year and offset. Rotated sets
(``auth.log.2.gz``, ``auth.log.1``, ``auth.log``) are read oldest first as one stream.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from .auth import AuthStream
from .line import Line
from .lines import raw_lines, rotated_sets, text_lines
from .records import FileRead, Options, Record, Skip
from .stamps import Stamper
from .years import MONTHS, YearTrack, first_year

_CLASSIC = re.compile(
    r"^(?P<mon>[A-Z][a-z]{2}) {1,2}(?P<day>\d{1,2}) (?P<clock>\d{2}:\d{2}:\d{2}) "
    r"(?P<host>\S+) +(?P<tag>[^:]*?): ?(?P<message>.*)$"
)
_CLASSIC_BYTES = re.compile(
    rb"^([A-Z][a-z]{2}) {1,2}([0-9]{1,2}) [0-9]{2}:[0-9]{2}:[0-9]{2} \S+ +[^:]*?:"
)
_ISO = re.compile(
    r"^(?P<stamp>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?) "
    r"(?P<host>\S+) +(?P<tag>[^:]*?): ?(?P<message>.*)$"
)


def read(paths: Sequence[Path], options: Options) -> Iterator[Record]:
    """Every record of every file; each rotated set is one stream."""
    for group in rotated_sets(paths):
        years = YearTrack(first_year(_month_days(group), options.year, options.now))
        stamper = Stamper(options.zone, years)
        stream = AuthStream()

        for path in group:
            yield from _file(path, stamper, stream)

        yield from stream.finish()


def _month_days(group: list[Path]) -> Iterator[tuple[int, int]]:
    """(month, day) of every classic line of the group, in order, for year inference.

    Only lines of the classic shape count: a garbage line that happens to start with a
    month name must not move the year of the good lines around it.
    """
    for path in group:
        try:
            for raw in raw_lines(path):
                match = _CLASSIC_BYTES.match(raw)
                month = MONTHS.get(match[1].decode("ascii")) if match else None
                if month and match:
                    yield month, int(match[2])
        except (EOFError, OSError, ValueError):
            continue


def _file(path: Path, stamper: Stamper, stream: AuthStream) -> Iterator[Record]:
    name = path.name
    feed = stream.feed
    lines = 0

    for item in text_lines(path):
        if isinstance(item, Skip):
            lines = max(lines, item.line)
            yield item
            continue

        lines, text = item
        line = _parse(name, lines, text, stamper)
        if isinstance(line, Skip):
            yield line
            continue
        yield from feed(line)

    yield FileRead(name, lines)


def _parse(file: str, number: int, text: str, stamper: Stamper) -> Line | Skip:
    if (match := _CLASSIC.match(text)) and (month := MONTHS.get(match["mon"])):
        day, clock, host, tag, message = match.group(
            "day", "clock", "host", "tag", "message"
        )
        return stamper.line(file, number, (month, int(day), clock), host, tag, message)

    if match := _ISO.match(text):
        try:
            stamp = datetime.fromisoformat(match["stamp"].replace("Z", "+00:00"))
            if stamp.tzinfo is None:
                stamp = stamp.replace(tzinfo=stamper.zone)
            stamp = stamp.astimezone(UTC)
        except (ValueError, OverflowError) as error:
            return Skip(file, number, f"impossible time {match['stamp']}: {error}")
        return stamper.at(
            file, number, stamp, match["host"], match["tag"], match["message"]
        )

    if not text.strip():
        return Skip(file, number, "empty line")

    return Skip(file, number, "not a syslog line")
