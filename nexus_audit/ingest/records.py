"""What parsers hand the writer: attempts, events and skipped lines, format-free.

A parser turns one input into these records and knows nothing of the database; the
writer stores them and knows nothing of formats. Each record carries a ``key``: the
text that identifies it in its source (the line's fields, how many identical lines came
before it in the same file, and its place among the records one line stands for). The
writer derives the row id from the key, so loading the same content twice, under any
file name, adds nothing, while identical lines at different places stay distinct.

Records are not changed once made, but they are plain (not frozen) dataclasses: a frozen
one costs twice as much to build, and a large log makes millions of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import ConfigError


@dataclass(slots=True)
class Attempt:
    """One authentication attempt: a row of ``login_attempts``."""

    key: str
    created_at: datetime
    username: str | None
    client_ip: str | None
    success: bool
    failure_reason: str | None = None
    mfa_used: bool | None = None
    user_agent: str | None = None
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(slots=True)
class Event:
    """Any other security-relevant record: a row of ``audit_log``.

    ``account`` is the account name the event concerns; the writer turns it into a
    ``user_id`` when the database holds a user of that name. ``created_at`` is None
    when the source records no time (pgAudit client notices).
    """

    key: str
    created_at: datetime | None
    event_type: str
    account: str | None = None
    actor_ip: str | None = None
    resource: str | None = None
    outcome: str | None = None
    details: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class Skip:
    """A line (or record) that was read but not stored, and why."""

    file: str
    line: int
    reason: str


@dataclass(slots=True)
class FileRead:
    """End of one input file: how many lines (or records) it held."""

    file: str
    lines: int


Record = Attempt | Event | Skip | FileRead


def unstorable(value: object) -> str | None:
    """Why ``value`` (nested) cannot be stored as database text, or None.

    A NUL character or a lone UTF-16 surrogate, both possible through JSON escapes
    (``\\u0000``, ``\\ud800``), would fail the whole ingestion transaction on
    PostgreSQL; the record holding one is skipped instead.
    """
    if isinstance(value, str):
        if "\x00" in value:
            return "a value holds a NUL character"
        if any("\ud800" <= char <= "\udfff" for char in value):
            return "a value holds an unpaired surrogate (invalid Unicode)"
        return None
    if isinstance(value, dict):
        return next(
            (r for k, v in value.items() if (r := unstorable(k) or unstorable(v))), None
        )
    if isinstance(value, list | tuple):
        return next((r for v in value if (r := unstorable(v))), None)
    return None


@dataclass(frozen=True)
class Options:
    """How to read inputs: the year of year-less syslog lines, the zone of naive times.

    ``year`` is the year of the first line of a file (or of the oldest file of a
    rotated set); without it the newest line is taken to be the most recent past date
    before ``now``. ``column_map`` maps our field names to an export's column names.
    """

    tz: str = "UTC"
    year: int | None = None
    now: datetime | None = None
    table: str = "login_attempts"
    column_map: dict[str, str] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        """The zone naive times are read in."""
        try:
            return ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ConfigError(
                f"--tz {self.tz!r} is not a time zone name such as UTC or Europe/Paris"
            ) from error
