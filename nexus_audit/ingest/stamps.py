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


class Occurrences:
    """How many identical lines each second has seen, forgetting seconds long past."""

    def __init__(self) -> None:
        self._seconds: dict[int, dict[str, int]] = {}
        self._newest = 0

    def count(self, second: int, text: str) -> int:
        """0 for the first line with this text in this second, then 1, 2, …"""
        seen = self._seconds.setdefault(second, {})
        occurrence = seen.get(text, 0)
        seen[text] = occurrence + 1

        if second > self._newest + _KEEP_SECONDS:
            self._newest = second
            old = [s for s in self._seconds if s < second - _KEEP_SECONDS]
            for stale in old:
                del self._seconds[stale]

        return occurrence


def split_tag(tag: str) -> tuple[str, str | None, bool]:
    """``sshd[42]`` → (sshd, 42, False); ``sshd(pam_unix)[42]`` → (sshd, 42, True)."""
    text = tag.strip().lstrip("- ").strip()
    match = _TAG.match(text)
    if match is None:
        return text.split(" ", 1)[0] if text else "-", None, False

    return match["program"], match["pid"], match["pam"] is not None


class Stamper:
    """Turns the parts of year-less syslog lines into :class:`Line` objects, in order."""

    def __init__(self, zone: ZoneInfo, years: YearTrack) -> None:
        self.zone = zone
        self.years = years
        self.occurrences = Occurrences()
        self._is_utc = zone.key in ("UTC", "Etc/UTC", "Zulu", "Etc/Zulu")

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
        year = self.years.year_of(month)
        try:
            hour, minute, second = int(clock[:2]), int(clock[3:5]), int(clock[6:8])
            if self._is_utc:
                stamp = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            else:
                local = datetime(
                    year, month, day, hour, minute, second, tzinfo=self.zone
                )
                stamp = local.astimezone(UTC)
        except (ValueError, OverflowError) as error:
            return Skip(
                file,
                number,
                f"impossible date {year}-{month:02d}-{day:02d} {clock}: {error}",
            )

        return self.at(file, number, stamp, host, tag, message)

    def at(
        self, file: str, number: int, stamp: datetime, host: str, tag: str, message: str
    ) -> Line:
        """A :class:`Line` for a line whose time is already known (UTC)."""
        program, pid, old_pam = split_tag(tag)
        message = message.rstrip()
        text = f"{host}|{program}|{pid}|{stamp.isoformat()}|{message}"
        moment = (
            (stamp.toordinal() * 24 + stamp.hour) * 3600
            + stamp.minute * 60
            + stamp.second
        )
        occurrence = self.occurrences.count(moment, text)

        return Line(
            file=file,
            number=number,
            stamp=stamp,
            host=host,
            program=program,
            pid=pid,
            message=message,
            key=f"{text}#{occurrence}",
            old_pam=old_pam,
        )
