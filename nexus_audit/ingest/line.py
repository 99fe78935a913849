"""One log line's fields, shared by the raw syslog and the loghub CSV readers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .records import Attempt, Event, Skip


@dataclass(slots=True)
class Line:
    """A syslog line split into its parts; ``key`` identifies it in its source.

    Not frozen, for speed (see :mod:`.records`); nothing changes a line once made.
    """

    file: str
    number: int
    stamp: datetime
    host: str
    program: str
    pid: str | None
    message: str
    key: str
    old_pam: bool = False

    def attempt(
        self,
        username: str | None,
        ip: str | None,
        success: bool,
        reason: str | None = None,
        index: int = 0,
    ) -> Attempt:
        """A login attempt made at this line's time."""
        # Positional arguments here and below: keywords double the cost of a record.
        return Attempt(
            f"{self.key}/{index}",  # key
            self.stamp,  # created_at
            username,
            ip,  # client_ip
            success,
            None if success else reason,  # failure_reason
        )

    def event(
        self,
        event_type: str,
        *,
        account: str | None = None,
        ip: str | None = None,
        resource: str | None = None,
        outcome: str | None = None,
        index: int = 0,
        **details: object,
    ) -> Event:
        """An audit event at this line's time, with the line's origin in its details."""
        info: dict[str, object] = {
            "host": self.host,
            "program": self.program,
            "pid": self.pid,
        }
        for name, value in details.items():
            if value is not None:
                info[name] = value
        info["message"] = self.message

        return Event(
            f"{self.key}/{index}",  # key
            self.stamp,  # created_at
            event_type,
            account,
            ip,  # actor_ip
            resource if resource is not None else account,  # resource
            outcome,
            info,  # details
        )

    def skip(self, reason: str) -> Skip:
        """This line, not stored, with the reason."""
        return Skip(self.file, self.number, reason)


@dataclass(slots=True)
class Peers:
    """The source address each sshd process last named, for lines that omit it."""

    by_process: dict[tuple[str, str], str] = field(default_factory=dict)

    def remember(self, line: Line, ip: str | None) -> None:
        if ip and line.pid:
            if len(self.by_process) > 50_000:
                self.by_process.clear()
            self.by_process[(line.host, line.pid)] = ip

    def recall(self, line: Line) -> str | None:
        if not line.pid:
            return None
        return self.by_process.get((line.host, line.pid))
