"""Account, group, sudo and su messages of a Linux auth log, as audit events.

Conventions for the stored event: ``resource`` names what changed (the account, or the
group for membership changes); the account concerned goes to ``user_id`` when the
database knows it; details keep the parsed fields and the original message.
"""

from __future__ import annotations

import re

from .addresses import normalise
from .line import Line
from .records import Attempt, Record

_SUDO = re.compile(r"^\s*(?P<user>\S+) : (?P<rest>.*)$")
_SUDO_FIELDS = re.compile(r"(\w+)=(.*?)(?: ; |$)")
_SU = re.compile(r"^(?P<ok>Successful|FAILED) su for (?P<target>\S+) by (?P<user>\S+)$")
_NEW_USER = re.compile(
    r"^new user: name=(?P<user>[^,]+), UID=(?P<uid>\d+), GID=(?P<gid>\d+)"
)
_NEW_GROUP = re.compile(
    r"^(?:new group: name=|group added to /etc/group: name=)(?P<group>[^,]+)"
    r"(?:, GID=(?P<gid>\d+))?"
)
_ADD_TO_GROUP = re.compile(r"^add '(?P<user>[^']*)' to group '(?P<group>[^']*)'$")
_GPASSWD = re.compile(
    r"^user (?P<user>\S+) added by (?P<by>\S+) to group (?P<group>\S+)$"
)
_QUOTED_USER = re.compile(
    r"^(?P<what>change user|lock user|unlock user|delete user) '(?P<user>[^']*)'"
    r"(?: (?P<field>\w+))?"
)
_FAILED_ADD = re.compile(r"^failed adding user '(?P<user>[^']*)'")
_LOGIN_FAILED = re.compile(
    r"^FAILED LOGIN (?:\(\d+\) |\d+ )?(?:on '?\S+'? )?"
    r"FROM '?(?P<ip>[^ ']*)'? FOR '?(?P<user>[^,']*)'?"
)
_ROOT_LOGIN = re.compile(r"^ROOT LOGIN (?:ON \S+)?(?: FROM (?P<ip>\S+))?")
_KERBEROS = re.compile(r"^Authentication failed from (?P<ip>\S+)")
_NO_SUCH_USER = re.compile(
    r'^pam_unix\(\w+:chauthtok\): user "(?P<user>[^"]*)" does not exist'
)

_USERMOD = {
    "change user": "account_changed",
    "lock user": "account_locked",
    "unlock user": "account_unlocked",
    "delete user": "account_deleted",
}
PASSWORD_PROGRAMS = frozenset({"chpasswd", "passwd", "chage"})
ACCOUNT_PROGRAMS = frozenset(
    {"useradd", "groupadd", "usermod", "userdel", "groupdel", "gpasswd", "adduser"}
)


def sudo(line: Line) -> Record:
    """``ubuntu : TTY=pts/0 ; PWD=/home/ubuntu ; USER=root ; COMMAND=/bin/bash``."""
    match = _SUDO.match(line.message)
    if match is None:
        return line.skip("sudo message with no command or outcome")

    user, rest = match["user"], match["rest"]
    fields = dict(_SUDO_FIELDS.findall(rest))
    target, command = fields.get("USER"), fields.get("COMMAND")

    if "incorrect password attempt" in rest:
        return line.event(
            "sudo_failure", account=user, outcome="failure", target=target
        )
    if "NOT in sudoers" in rest or "command not allowed" in rest:
        return line.event("sudo_denied", account=user, outcome="failure", target=target)
    if command:
        return line.event(
            "sudo_command",
            account=user,
            outcome="success",
            target=target,
            command=command,
        )

    return line.skip("sudo message with no command or outcome")


def su(line: Line) -> Record:
    """``Successful su for root by root`` / ``FAILED su for root by alice``."""
    match = _SU.match(line.message)
    if match is None:
        return line.skip("su detail line")

    ok = match["ok"] == "Successful"
    return line.event(
        "su_success" if ok else "su_failure",
        account=match["user"],
        outcome="success" if ok else "failure",
        target=match["target"],
    )


def account(line: Line) -> Record:
    """useradd, groupadd, usermod, userdel, gpasswd: account and group changes."""
    message = line.message

    if match := _NEW_USER.match(message):
        return line.event(
            "account_created", account=match["user"], uid=match["uid"], gid=match["gid"]
        )
    if match := _NEW_GROUP.match(message):
        if message.startswith("new group") and line.program == "groupadd":
            return line.skip("repeats the 'group added' line")
        return line.event("group_created", resource=match["group"], gid=match["gid"])
    if match := _ADD_TO_GROUP.match(message) or _GPASSWD.match(message):
        return line.event(
            "group_member_added",
            account=match["user"],
            resource=match["group"],
            group=match["group"],
        )
    if match := _QUOTED_USER.match(message):
        return line.event(
            _USERMOD[match["what"]], account=match["user"], field=match["field"]
        )
    if match := _FAILED_ADD.match(message):
        return line.event(
            "account_change_failed", account=match["user"], outcome="failure"
        )

    return line.skip(f"{line.program} detail line")


def password(line: Line) -> Record:
    """chpasswd and passwd lines other than "password changed" (see :mod:`.auth`)."""
    if match := _NO_SUCH_USER.match(line.message):
        return line.event(
            "account_change_failed", account=match["user"], outcome="failure"
        )

    return line.skip(f"{line.program} detail line")


def login(line: Line) -> Record | Attempt:
    """Console ``login``: failed logins are attempts; root logins are events."""
    if match := _LOGIN_FAILED.match(line.message):
        ip = normalise(match["ip"]) if match["ip"] not in ("", "(null)") else None
        return line.attempt(match["user"], ip, False, "bad_password")
    if match := _ROOT_LOGIN.match(line.message):
        return line.event("root_login", account="root", ip=normalise(match["ip"]))

    return line.skip("login detail line")


def kerberos(line: Line) -> Record:
    """klogind: ``Authentication failed from H (H): Permission denied in replay cache``.

    A replay-cache refusal is a Kerberos protocol error, not a tried credential, so it
    is an event, not a login attempt.
    """
    if match := _KERBEROS.match(line.message):
        return line.event("auth_error", ip=normalise(match["ip"]), outcome="failure")

    return line.skip("klogind detail line")
