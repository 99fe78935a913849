"""From a syslog line's parts to a :class:`Line`: the UTC time and the line's identity.

The identity (``key``) is host, program, process, time and message, plus how many
identical lines came before it within the same second of the same source. It holds no
file name, so a rotated or renamed copy, or loghub's CSV form of the same lines, gives
the same keys.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from .line import Line
from .records import Skip
from .years import YearTrack

_TAG = re.compile(
    r"^(?P<program>[^\[\(\s]+)(?:\((?P<pam>pam_unix)\))?(?:\[(?P<pid>\d+)\])?$"
)
_KEEP_SECONDS = 3600
_KEEP_TAGS = 10_000


class Occurrences:
    """How many identical lines each second has seen, forgetting seconds long past."""

    def __init__(self) -> None:
        self._seconds: dict[int, dict[str, int]] = {}
        self._newest = 0

    def count(self, second: int, text: str) -> int:
        """0 for the first line with this text in this second, then 1, 2, …"""
        seen = self._seconds.get(second)
        if seen is None:
            seen = self._seconds[second] = {}
            if second > self._newest + _KEEP_SECONDS:
                self._newest = second
                old = [s for s in self._seconds if s < second - _KEEP_SECONDS]
                for stale in old:
                    del self._seconds[stale]

        occurrence = seen.get(text, 0)
        seen[text] = occurrence + 1

        return occurrence


def split_tag(tag: str) -> tuple[str, str | None, bool]:
    """``sshd[42]`` → (sshd, 42, False); ``sshd(pam_unix)[42]`` → (sshd, 42, True)."""
    text = tag.strip().lstrip("- ").strip()
    match = _TAG.match(text)
    if match is None:
        return text.split(" ", 1)[0] if text else "-", None, False

    return match["program"], match["pid"], match["pam"] is not None


class Stamper:
    """Turns the parts of year-less syslog lines into :class:`Line` objects, in order.

    Neighbouring lines mostly share their second, so the last second's time, ISO text
    and count of seconds is kept and reused; so is each program tag's split.
    """

    def __init__(self, zone: ZoneInfo, years: YearTrack) -> None:
        self.zone = zone
        self.years = years
        self.occurrences = Occurrences()
        self._is_utc = zone.key in ("UTC", "Etc/UTC", "Zulu", "Etc/Zulu")
        self._month, self._year = 0, years.year
        self._when: tuple[int, int, int, str] | None = None
        self._stamp: tuple[datetime, str, int] | None = None
        self._tags: dict[str, tuple[str, str | None, bool]] = {}

    def line(
        self,
        file: str,
        number: int,
        when: tuple[int, int, str],
        host: str,
        tag: str,
        message: str,
    ) -> Line | Skip:
        """A :class:`Line` for (month, day, "HH:MM:SS"), or a Skip when the date is impossible."""
        month, day, clock = when
        if month != self._month:  # within a month the year stays as it is
            self._month, self._year = month, self.years.year_of(month)
        year = self._year
        moment = (year, month, day, clock)
        if moment != self._when or self._stamp is None:
            stamp = self._local(year, month, day, clock)
            if isinstance(stamp, str):
                return Skip(file, number, stamp)
            self._when, self._stamp = moment, _timed(stamp)

        return self._make(file, number, self._stamp, host, tag, message)

    def at(
        self, file: str, number: int, stamp: datetime, host: str, tag: str, message: str
    ) -> Line:
        """A :class:`Line` for a line whose time is already known (UTC)."""
        return self._make(file, number, _timed(stamp), host, tag, message)

    def _local(self, year: int, month: int, day: int, clock: str) -> datetime | str:
        """The UTC time of a local date and clock, or why there is no such time."""
        try:
            hour, minute, second = int(clock[:2]), int(clock[3:5]), int(clock[6:8])
            if self._is_utc:
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            local = datetime(year, month, day, hour, minute, second, tzinfo=self.zone)
            return local.astimezone(UTC)
        except (ValueError, OverflowError) as error:
            return f"impossible date {year}-{month:02d}-{day:02d} {clock}: {error}"

    def _make(
        self,
        file: str,
        number: int,
        timed: tuple[datetime, str, int],
        host: str,
        tag: str,
        message: str,
    ) -> Line:
        stamp, iso, second = timed
        split = self._tags.get(tag)
        if split is None:
            if len(self._tags) > _KEEP_TAGS:
                self._tags.clear()
            split = self._tags[tag] = split_tag(tag)
        program, pid, old_pam = split
        message = message.rstrip()
        text = f"{host}|{program}|{pid}|{iso}|{message}"
        occurrence = self.occurrences.count(second, text)

        # Positional: keyword arguments would double the cost of making a Line.
        key = f"{text}#{occurrence}"
        return Line(file, number, stamp, host, program, pid, message, key, old_pam)


def _timed(stamp: datetime) -> tuple[datetime, str, int]:
    """A UTC time with its ISO text and its count of seconds since year 1."""
    second = (
        (stamp.toordinal() * 24 + stamp.hour) * 3600 + stamp.minute * 60 + stamp.second
    )
    return stamp, stamp.isoformat(), second
