"""OpenSSH server messages: which are attempts, which are events, which say nothing.

Counting rule: the ``Failed <method> for …`` and ``Accepted <method> for …`` lines are
the attempts. Everything else sshd says about the same connection (``Invalid user``,
``maximum authentication attempts exceeded``, ``Disconnecting … [preauth]``, PAM's
``authentication failure``) is an event, so one attempt is never counted twice. PAM
failure lines are attempts only in logs that hold no ``Failed …`` line from that host
(old ``sshd(pam_unix)[pid]`` logs); :mod:`.auth` decides that at the end of the stream.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .addresses import normalise
from .line import Line, Peers
from .records import Attempt, Event, Record

_FAILED = re.compile(
    r"^Failed (?P<method>\S+) for (?P<invalid>(?:invalid|illegal) user )?(?P<user>.*) "
    r"from (?P<ip>\S+)(?: port \d+)?(?: ssh\d?)?(?:: .*)?$"
)
_ACCEPTED = re.compile(
    r"^Accepted (?P<method>\S+) for (?P<user>.*) from (?P<ip>\S+)(?: port \d+)?"
    r"(?: ssh\d?)?(?:: .*)?$"
)
_INVALID = re.compile(
    r"^(?:Invalid|Illegal) user (?P<user>.*) from (?P<ip>\S+?)(?: port \d+)?$"
)
_MAX_TRIES = re.compile(
    r"^error: maximum authentication attempts exceeded for (?:invalid user )?"
    r"(?P<user>.*) from (?P<ip>\S+) port \d+(?: ssh\d?)?(?: \[preauth\])?$"
)
_DISCONNECTING = re.compile(
    r"^Disconnecting(?: (?:invalid|authenticating) user (?P<user>.*?))?(?: from)? "
    r"(?P<ip>[0-9A-Fa-f.:]+) port \d+: (?P<why>.*?)(?: \[preauth\])?$"
)
_CLOSED = re.compile(
    r"^(?:Connection (?:closed|reset) by|Disconnected from|Received disconnect from)"
    r"(?: (?:invalid|authenticating) user (?P<user>.*?)| user (?P<who>\S+))? "
    r"(?P<ip>[0-9A-Fa-f.:]+?)(?: port \d+)?(?::\s*(?P<why>.*?))?(?: \[preauth\])?$"
)
_BREAK_IN = re.compile(
    r"^(?:reverse mapping checking getaddrinfo for \S+ \[(?P<ip>[^\]]+)\] failed"
    r"|Address (?P<ip2>\S+) maps to \S+, but this does not map back to the address)"
    r" - POSSIBLE BREAK-IN ATTEMPT!$"
)
_PROBE = re.compile(
    r"^(?:Did not receive identification string from"
    r"|Bad protocol version identification .* from"
    r"|(?:fatal: )?Unable to negotiate with"
    r"|Protocol major versions differ for) (?P<ip>[0-9A-Fa-f.:]+)"
)
_NOT_ALLOWED = re.compile(
    r"^User (?P<user>\S+) from (?P<ip>\S+) not allowed because (?P<why>.*)$"
)
_PAM_FAILURE = re.compile(
    r"^(?:pam_unix\(sshd:auth\): )?authentication failure; (?P<kv>.*)$"
)
_PAM_MORE = re.compile(r"^PAM (?P<n>\d+) more authentication failures?; (?P<kv>.*)$")
_LOCKED = re.compile(
    r"^pam_(?:faillock|tally2?)\(sshd:auth\): (?:Consecutive login failures for user "
    r"(?P<user>\S+) account temporarily locked|user (?P<user2>\S+) \(\d+\) tally \d+, deny \d+)"
)
_KV = re.compile(r"(\w+)=(\S*)")

_QUIET = (
    ("input_userauth_request: invalid user", "repeats the 'Invalid user' line"),
    ("pam_unix(sshd:auth): check pass; user unknown", "detail of a PAM failure line"),
    ("check pass; user unknown", "detail of a PAM failure line"),
    ("PAM service(sshd) ignoring max retries", "PAM setting notice"),
    ("Starting session:", "repeats the session-opened line"),
    ("Connection from ", "connection opened, no outcome yet"),
    ("Server listening on", "sshd service message"),
    ("Received signal", "sshd service message"),
    ("User child is on pid", "sshd process bookkeeping"),
    ("Close session:", "repeats the session-closed line"),
)

_REASONS = {
    "password": "bad_password",
    "keyboard-interactive/pam": "bad_password",
    "publickey": "bad_publickey",
    "none": "no_credentials",
}


@dataclass(frozen=True, slots=True)
class PamFailure:
    """A PAM authentication failure: an attempt or an event, decided at the stream's end."""

    host: str
    attempt: Attempt
    event: Event


Outcome = Record | PamFailure


def classify(line: Line, peers: Peers) -> list[Outcome]:
    """What one sshd message stands for."""
    message = line.message

    if match := _FAILED.match(message):
        return [_failed(line, match, peers)]
    if match := _ACCEPTED.match(message):
        ip = normalise(match["ip"])
        peers.remember(line, ip)
        return [line.attempt(match["user"], ip, True)]
    if message.startswith(
        ("pam_unix(sshd:auth): authentication failure", "authentication")
    ):
        return _pam_failure(line, peers)

    return _event(line, peers)


def _failed(line: Line, match: re.Match[str], peers: Peers) -> Attempt:
    ip = normalise(match["ip"])
    peers.remember(line, ip)
    method = match["method"]
    reason = (
        "unknown_user" if match["invalid"] else _REASONS.get(method, "bad_credentials")
    )

    return line.attempt(match["user"], ip, False, reason)


def _pam_failure(line: Line, peers: Peers) -> list[Outcome]:
    match = _PAM_FAILURE.match(line.message)
    if match is None:
        return [line.skip("sshd message with no authentication outcome")]

    fields = dict(_KV.findall(match["kv"]))
    ip = normalise(fields.get("rhost")) or peers.recall(line)
    user = fields.get("user") or None
    reason = "bad_password" if user else "unknown_user"
    attempt = line.attempt(user, ip, False, reason)
    event = line.event("pam_auth_failure", account=user, ip=ip, outcome="failure")

    return [PamFailure(line.host, attempt, event)]


def _event(line: Line, peers: Peers) -> list[Outcome]:
    message = line.message

    if match := _INVALID.match(message):
        ip = normalise(match["ip"])
        peers.remember(line, ip)
        return [
            line.event("invalid_user", account=match["user"], ip=ip, outcome="failure")
        ]
    if match := _MAX_TRIES.match(message):
        ip = normalise(match["ip"])
        return [
            line.event(
                "max_auth_attempts", account=match["user"], ip=ip, outcome="failure"
            )
        ]
    if match := _PAM_MORE.match(message):
        fields = dict(_KV.findall(match["kv"]))
        ip = normalise(fields.get("rhost")) or peers.recall(line)
        user = fields.get("user") or None
        return [
            line.event(
                "max_auth_attempts",
                account=user,
                ip=ip,
                outcome="failure",
                more=match["n"],
            )
        ]
    if match := _PROBE.match(message):
        return [line.event("ssh_probe", ip=normalise(match["ip"]), outcome="failure")]
    if message.startswith("Disconnecting") or message.endswith("[preauth]"):
        return [_preauth(line, peers)]

    return [_other(line, peers)]


def _preauth(line: Line, peers: Peers) -> Record:
    message = line.message
    match = _DISCONNECTING.match(message) or _CLOSED.match(message)
    user = (match["user"] if match else None) or None
    ip = normalise(match["ip"]) if match else peers.recall(line)
    if message.startswith("Disconnecting: Too many authentication failures"):
        ip = peers.recall(line)

    if match is None and ip is None and not message.startswith("Disconnecting"):
        return line.skip("sshd pre-authentication message with no source address")

    return line.event("preauth_disconnect", account=user, ip=ip, outcome="failure")


def _other(line: Line, peers: Peers) -> Record:
    message = line.message

    if match := _BREAK_IN.match(message):
        ip = normalise(match["ip"] or match["ip2"])
        return line.event("break_in_attempt", ip=ip, outcome="failure")
    if match := _NOT_ALLOWED.match(message):
        ip = normalise(match["ip"])
        return line.event(
            "login_denied", account=match["user"], ip=ip, outcome="failure"
        )
    if match := _LOCKED.match(message):
        user = match["user"] or match["user2"]
        return line.event("account_locked", account=user, ip=peers.recall(line))
    if _CLOSED.match(message):
        return line.skip("connection closed after a session")

    for prefix, reason in _QUIET:
        if message.startswith(prefix):
            return line.skip(reason)

    return line.skip("sshd message with no authentication outcome")
