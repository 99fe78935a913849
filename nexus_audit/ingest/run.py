"""One ingestion run: parse the inputs, store the records in batches, report the counts."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..database import describe, open_engine
from ..errors import ConfigError
from . import loghub, pgaudit, syslog, tabular, windows
from .lines import check_paths
from .records import Attempt, Event, FileRead, Options, Record, Skip
from .writer import Writer, writing

log = logging.getLogger(__name__)

Parser = Callable[[Sequence[Path], Options], Iterator[Record]]

FORMATS: dict[str, Parser] = {
    "syslog": syslog.read,
    "loghub-csv": loghub.read,
    "csv": tabular.read_csv,
    "jsonl": tabular.read_jsonl,
    "evtx": windows.read,
    "pgaudit": pgaudit.read,
}
BATCH = 50_000


@dataclass
class IngestReport:
    """What one run read, stored and skipped; nothing is left out silently."""

    format: str
    database: str
    files: dict[str, int] = field(default_factory=dict)
    attempts_read: int = 0
    events_read: int = 0
    attempts_stored: int = 0
    events_stored: int = 0
    untimed_events: int = 0
    skipped: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def lines_read(self) -> int:
        """Lines (or records, for binary formats) read from all inputs."""
        return sum(self.files.values())

    @property
    def lines_skipped(self) -> int:
        """Lines read but not stored, over all reasons."""
        return sum(len(places) for places in self.skipped.values())

    @property
    def already_stored(self) -> int:
        """Records whose row was already in the database (an earlier run)."""
        return (
            self.attempts_read
            + self.events_read
            - self.attempts_stored
            - self.events_stored
        )

    def summary(self, places: int = 10) -> list[str]:
        """The run in a few lines of text, for the command line and the log."""
        lines = [
            f"read {self.lines_read} lines from {len(self.files)} file(s) as {self.format}",
            f"stored {self.attempts_stored} login attempts and {self.events_stored} audit "
            f"events ({self.already_stored} already present"
            f"{f', {self.untimed_events} events without a time' if self.untimed_events else ''})",
            f"skipped {self.lines_skipped} lines",
        ]
        for reason, where in sorted(self.skipped.items(), key=lambda kv: -len(kv[1])):
            shown = ", ".join(f"{file}:{line}" for file, line in where[:places])
            more = f" and {len(where) - places} more" if len(where) > places else ""
            lines.append(f"  {len(where)} × {reason}: {shown}{more}")
        return lines


def ingest(
    format: str,
    paths: Iterable[Path | str],
    database: str,
    *,
    year: int | None = None,
    tz: str = "UTC",
    table: str = "login_attempts",
    column_map: dict[str, str] | None = None,
    now: datetime | None = None,
) -> IngestReport:
    """Read ``paths`` in ``format`` and store their records in ``database``.

    ``year`` is the year of year-less syslog lines' first line (inferred otherwise);
    ``tz`` the zone of times written without one; ``table`` and ``column_map`` say
    what a generic CSV or JSON-lines export holds.
    """
    parser = FORMATS.get(format)
    if parser is None:
        raise ConfigError(
            f"unknown input format {format!r}; choose from {sorted(FORMATS)}"
        )
    if table not in ("login_attempts", "audit_log"):
        raise ConfigError(f"--table must be login_attempts or audit_log, got {table!r}")

    options = Options(
        tz=tz, year=year, now=now, table=table, column_map=column_map or {}
    )
    options.zone  # noqa: B018 - a bad zone name fails before any file is read
    files = check_paths([Path(p) for p in paths])
    engine = open_engine(database, read_only=False)
    report = IngestReport(format=format, database=describe(engine.url))
    started = time.perf_counter()

    try:
        with writing(engine) as writer, _no_cycle_collection():
            _store(parser(files, options), writer, report)
    finally:
        engine.dispose()

    report.seconds = time.perf_counter() - started
    for line in report.summary():
        log.info("ingest: %s", line)

    return report


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while records are made.

    Records hold no reference cycles, yet the collector would scan the hundreds of
    thousands alive between two batches again and again (a sixth of the run's time).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _store(records: Iterator[Record], writer: Writer, report: IngestReport) -> None:
    attempts: list[Attempt] = []
    events: list[Event] = []

    for record in records:
        if isinstance(record, Event):  # the most common record first
            events.append(record)
        elif isinstance(record, Attempt):
            attempts.append(record)
        elif isinstance(record, Skip):
            report.skipped.setdefault(record.reason, []).append(
                (record.file, record.line)
            )
        elif isinstance(record, FileRead):
            report.files[record.file] = report.files.get(record.file, 0) + record.lines

        if len(attempts) + len(events) >= BATCH:
            _flush(writer, attempts, events, report)

    _flush(writer, attempts, events, report)
    report.attempts_stored, report.events_stored = writer.wait()


def _flush(
    writer: Writer, attempts: list[Attempt], events: list[Event], report: IngestReport
) -> None:
    """Hand a batch to the writer, which stores it while the next one is read."""
    if attempts or events:
        writer.submit(attempts, events)

    report.attempts_read += len(attempts)
    report.events_read += len(events)
    report.untimed_events += sum(1 for e in events if e.created_at is None)
    attempts.clear()
    events.clear()
