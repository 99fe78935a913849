"""loghub's structured CSV form of syslog datasets (``*_structured.csv``).

Two layouts are read, told apart by their header:

* OpenSSH: ``LineId,Date,Day,Time,Component,Pid,Content,…`` — ``Date`` holds the
  month, ``Day`` the day and ``Component`` the host; every line is from sshd.
* Linux: ``LineId,Month,Date,Time,Level,Component,PID,Content,…`` — ``Level`` holds
  the host and ``Component`` the program tag (``sshd(pam_unix)``).

Each row becomes the same :class:`~.line.Line`, with the same key, as the raw log line
it was made from, so both inputs give identical records.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from .auth import AuthStream
from .lines import text_lines
from .records import FileRead, Options, Record, Skip
from .stamps import Stamper
from .years import MONTHS, YearTrack, first_year


@dataclass(frozen=True)
class _Layout:
    month: str
    day: str
    host: str
    tag: str | None
    pid: str


_LAYOUTS = (
    _Layout(month="Month", day="Date", host="Level", tag="Component", pid="PID"),
    _Layout(month="Date", day="Day", host="Component", tag=None, pid="Pid"),
)


def read(paths: Sequence[Path], options: Options) -> Iterator[Record]:
    """Every record of every CSV file; each file is one stream."""
    for path in paths:
        layout = _layout(path)
        years = YearTrack(
            first_year(_month_days(path, layout), options.year, options.now)
        )
        stamper = Stamper(options.zone, years)
        stream = AuthStream()

        yield from _rows(path, layout, stamper, stream)
        yield from stream.finish()


def _layout(path: Path) -> _Layout:
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        header = next(csv.reader(handle), [])

    for layout in _LAYOUTS:
        wanted = {layout.month, layout.day, layout.host, layout.pid, "Time", "Content"}
        if wanted <= set(header) and (layout.tag is None or layout.tag in header):
            return layout

    raise ConfigError(
        f"{path}: header {header[:9]} is not a loghub structured CSV this reader knows "
        "(OpenSSH: Date,Day,Time,Component,Pid,Content; Linux: Month,Date,Time,Level,"
        "Component,PID,Content)"
    )


def _records(path: Path) -> Iterator[tuple[int, dict[str, str]] | Skip]:
    """Data rows with their line numbers; bad lines as :class:`Skip`."""
    header: list[str] | None = None

    for item in text_lines(path):
        if isinstance(item, Skip):
            yield item
            continue
        number, text = item
        try:
            values = next(csv.reader([text]), [])
        except csv.Error as error:
            yield Skip(path.name, number, f"not a CSV row ({error})")
            continue
        if header is None:
            header = values
            continue
        if len(values) < len(header):
            yield Skip(
                path.name, number, f"CSV row has {len(values)} of {len(header)} fields"
            )
            continue
        yield number, dict(zip(header, values, strict=False))


def _month_days(path: Path, layout: _Layout) -> Iterator[tuple[int, int]]:
    for item in _records(path):
        if isinstance(item, Skip):
            continue
        row = item[1]
        month, day = MONTHS.get(row[layout.month]), _day(row[layout.day])
        if month and day:
            yield month, day


def _day(text: str) -> int | None:
    """The day of the month written in ASCII digits (1-31), else None."""
    if not (text.isascii() and text.isdigit() and len(text) <= 2):
        return None
    return int(text) or None


def _rows(
    path: Path, layout: _Layout, stamper: Stamper, stream: AuthStream
) -> Iterator[Record]:
    lines = 0

    for item in _records(path):
        if isinstance(item, Skip):
            lines = max(lines, item.line)
            yield item
            continue
        lines, row = item
        month, day = MONTHS.get(row[layout.month]), _day(row[layout.day])
        if not month or not day:
            yield Skip(path.name, lines, "row has no month and day")
            continue

        pid = row[layout.pid]
        tag = row[layout.tag] if layout.tag else f"sshd[{pid}]"
        if layout.tag and pid and "[" not in tag:
            tag = f"{tag}[{pid}]"
        when = (month, day, row["Time"])
        line = stamper.line(
            path.name, lines, when, row[layout.host], tag, row["Content"]
        )
        if isinstance(line, Skip):
            yield line
            continue
        yield from stream.feed(line)

    yield FileRead(path.name, lines)
