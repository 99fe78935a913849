"""One authentication log stream, line by line, into attempts, events and skips.

``message repeated N times: [ … ]`` lines (rsyslog's de-duplication) stand for N copies
of the bracketed message and are expanded into N records. PAM failure lines wait until
the end of the stream: they become attempts only for hosts that logged no sshd
``Failed …`` line in it (see :mod:`.sshd`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from . import sshd, system
from .line import Line, Peers
from .records import Record

_REPEATED = re.compile(r"^message repeated (?P<n>\d+) times: \[ ?(?P<inner>.*?) ?\]$")
_SESSION = re.compile(
    r"^(?:pam_unix\((?P<service>[\w-]+):session\): )?session (?P<state>opened|closed) "
    r"for user (?P<user>\S+?)(?:\(uid=\d+\))?(?: by (?P<by>.*))?$"
)
_PASSWORD = re.compile(
    r"^pam_unix\((?P<service>[\w-]+):chauthtok\): password changed for (?P<user>.*)$"
)
_PAM_AUTH = re.compile(
    r"^pam_unix\((?P<service>[\w-]+):auth\): authentication failure; (?P<kv>.*)$"
)
_KV = re.compile(r"(\w+)=(\S*)")
# Every line _common reads starts so; the rest skip its regular expressions.
_COMMON_STARTS = ("pam_unix(", "session ", "authentication failure")
_MAX_REPEAT = 100_000


class AuthStream:
    """Classifies the lines of one log (or rotated set) in order."""

    def __init__(self) -> None:
        self._peers = Peers()
        self._pending: list[sshd.PamFailure] = []
        self._failed_hosts: set[str] = set()

    def feed(self, line: Line) -> list[Record]:
        """The records one line stands for (PAM failures are held back)."""
        message = line.message
        match = _REPEATED.match(message) if message.startswith("message ") else None
        if match is None:
            return self._one(line)

        count = int(match["n"])
        if not 0 < count <= _MAX_REPEAT:
            return [line.skip(f"'message repeated' count {count} is implausible")]

        records: list[Record] = []
        for copy in range(count):
            inner = replace(line, message=match["inner"], key=f"{line.key}/r{copy}")
            records.extend(self._one(inner))

        return records

    def finish(self) -> list[Record]:
        """PAM failures: attempts where the host logged no sshd ``Failed`` line."""
        records: list[Record] = [
            item.event if item.host in self._failed_hosts else item.attempt
            for item in self._pending
        ]
        self._pending.clear()

        return records

    def _one(self, line: Line) -> list[Record]:
        if common := _common(line):
            return [common]

        outcomes = self._program(line)
        records: list[Record] = []
        for outcome in outcomes:
            if isinstance(outcome, sshd.PamFailure):
                self._pending.append(outcome)
            else:
                records.append(outcome)
                if line.program == "sshd" and line.message.startswith("Failed "):
                    self._failed_hosts.add(line.host)

        return records

    def _program(self, line: Line) -> list[sshd.Outcome]:
        program = line.program

        if program == "sshd":
            return sshd.classify(line, self._peers)
        if program == "sudo":
            return [system.sudo(line)]
        if program == "su":
            return [system.su(line)]
        if program in system.ACCOUNT_PROGRAMS:
            return [system.account(line)]
        if program in system.PASSWORD_PROGRAMS:
            return [system.password(line)]
        if program == "login" or line.message.startswith(
            ("ROOT LOGIN", "FAILED LOGIN")
        ):
            return [system.login(line)]
        if program == "klogind":
            return [system.kerberos(line)]

        return [line.skip(f"no authentication or account event ({program})")]


def _common(line: Line) -> Record | None:
    """PAM session, password-change and non-sshd failure lines, for any program."""
    message = line.message
    if not message.startswith(_COMMON_STARTS):
        return None

    if match := _SESSION.match(message):
        if match["service"] is None and not line.old_pam:
            return None
        service = match["service"] or line.program
        state = match["state"]
        return line.event(
            f"session_{state}", account=match["user"], service=service, by=match["by"]
        )
    if match := _PASSWORD.match(message):
        return line.event(
            "password_changed", account=match["user"].strip(), service=match["service"]
        )
    if (match := _PAM_AUTH.match(message)) and match["service"] != "sshd":
        fields = dict(_KV.findall(match["kv"]))
        return line.event(
            "pam_auth_failure",
            account=fields.get("user") or None,
            outcome="failure",
            service=match["service"],
            ruser=fields.get("ruser") or None,
        )
    if (
        line.old_pam
        and line.program != "sshd"
        and message.startswith("authentication failure")
    ):
        fields = dict(_KV.findall(message))
        return line.event(
            "pam_auth_failure",
            account=fields.get("user") or None,
            outcome="failure",
            service=line.program,
        )

    return None
