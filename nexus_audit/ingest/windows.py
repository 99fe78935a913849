"""Windows Security event logs (``.evtx``), read with the ``evtx`` package (pyevtx-rs).

Attempts: 4624 (logon) and 4625 (failed logon), 4768 (Kerberos ticket request: status
0x0 is a success, any other status a failure) and 4771 (Kerberos pre-authentication
failed). Events: 4740 lockout, 4767 unlock, 4720/4722/4725/4726 account created,
enabled, disabled, deleted, 4723/4724 password change and reset, 4728/4732/4756 member
added to a security group, 4672 special privileges at logon, 1102 audit log cleared.
Times are the record's ``TimeCreated`` (UTC). Status codes are kept in the failure
reason's vocabulary: wrong password, unknown user, locked, disabled, expired.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evtx import PyEvtxParser

from .addresses import normalise
from .records import Attempt, Event, FileRead, Options, Record, Skip, unstorable

_REASONS = {
    "0x6": "unknown_user",
    "0xc0000064": "unknown_user",
    "0x18": "bad_password",
    "0xc000006a": "bad_password",
    "0x12": "account_locked",
    "0xc0000234": "account_locked",
    "0xc0000072": "account_disabled",
    "0x17": "expired_password",
    "0xc0000071": "expired_password",
    "0xc0000193": "account_expired",
    "0xc000006f": "outside_logon_hours",
}
_ACCOUNT_EVENTS = {
    4740: "account_locked",
    4767: "account_unlocked",
    4720: "account_created",
    4722: "account_enabled",
    4725: "account_disabled",
    4726: "account_deleted",
    4723: "password_changed",
    4724: "password_changed",
    4672: "privileged_logon",
    1102: "audit_log_cleared",
}
_GROUP_ADDS = {4728, 4732, 4756}
_CN = re.compile(r"^CN=((?:\\,|[^,])+)")


def read(paths: Sequence[Path], options: Options) -> Iterator[Record]:
    """Every record of every ``.evtx`` file."""
    for path in paths:
        yield from _file(path)


def _file(path: Path) -> Iterator[Record]:
    count = 0
    try:
        records = PyEvtxParser(str(path)).records_json()
    except (OSError, RuntimeError) as error:
        yield Skip(path.name, 0, f"not a readable EVTX file ({error})")
        yield FileRead(path.name, 0)
        return

    while True:
        try:
            raw = next(records)
        except StopIteration:
            break
        except (RuntimeError, ValueError) as error:
            count += 1
            yield Skip(path.name, count, f"damaged EVTX record ({error})")
            continue
        count += 1
        if raw is not None:
            yield _record(path.name, count, raw)

    yield FileRead(path.name, count)


def _record(file: str, number: int, raw: Mapping[str, Any]) -> Record:
    try:
        event = json.loads(raw["data"])["Event"]
        system = event["System"]
        event_id = int(str(_value(system["EventID"])))
        stamp = system["TimeCreated"]["#attributes"]["SystemTime"]
        created_at = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(
            UTC
        )
    except (KeyError, TypeError, ValueError, OverflowError) as error:
        return Skip(file, number, f"EVTX record without an event id or time ({error})")
    if reason := unstorable(event):
        return Skip(file, number, f"EVTX record: {reason}")

    data = _data(event)
    key = (
        f"evtx|{system.get('Computer')}|{system.get('Channel')}|"
        f"{system.get('EventRecordID')}|{stamp}|{event_id}"
    )
    return _classify(file, number, event_id, key, created_at, system, data)


def _classify(
    file: str,
    number: int,
    event_id: int,
    key: str,
    created_at: datetime,
    system: Mapping[str, Any],
    data: Mapping[str, Any],
) -> Record:
    ip = normalise(str(data.get("IpAddress") or "")) if "IpAddress" in data else None
    user = _text(data.get("TargetUserName"))
    status = str(data.get("SubStatus") or data.get("Status") or "").lower()

    if event_id in (4624, 4625, 4768, 4771):
        success = event_id == 4624 or (event_id == 4768 and status in ("0x0", "0"))
        reason = (
            None if success else _REASONS.get(status, f"status_{status or 'unknown'}")
        )
        return Attempt(f"{key}/0", created_at, user, ip, success, reason)

    details = {"event_id": event_id, "computer": system.get("Computer"), **data}
    if event_id in _GROUP_ADDS:
        member = _member(data)
        return Event(
            f"{key}/0",
            created_at,
            "group_member_added",
            member,
            ip,
            user,
            "success",
            details,
        )
    if event_id in _ACCOUNT_EVENTS:
        account = _text(data.get("SubjectUserName")) if event_id == 1102 else user
        return Event(
            f"{key}/0",
            created_at,
            _ACCOUNT_EVENTS[event_id],
            account,
            ip,
            account,
            "success",
            details,
        )

    return Skip(
        file,
        number,
        f"Windows event {event_id} is not an authentication or account event",
    )


def _data(event: Mapping[str, Any]) -> dict[str, Any]:
    """The named fields of EventData, or of the first UserData element (1102)."""
    data = event.get("EventData")
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if not k.startswith("#")}

    user_data = event.get("UserData")
    if isinstance(user_data, dict):
        for value in user_data.values():
            if isinstance(value, dict):
                return {k: v for k, v in value.items() if not k.startswith("#")}

    return {}


def _member(data: Mapping[str, Any]) -> str | None:
    name = _text(data.get("MemberName"))
    if name and (match := _CN.match(name)):
        return match.group(1).replace("\\,", ",")
    return name or _text(data.get("MemberSid"))


def _text(value: object) -> str | None:
    if value in (None, "", "-"):
        return None
    return str(value)


def _value(value: object) -> object:
    """EventID may be a number or ``{"#text": 4624, "#attributes": …}``."""
    if isinstance(value, dict):
        return value.get("#text")
    return value
