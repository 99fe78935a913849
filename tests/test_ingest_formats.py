"""loghub CSV, generic CSV and JSON-lines exports, Windows EVTX and pgAudit records."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from nexus_audit.errors import ConfigError
from nexus_audit.ingest import (
    FORMATS,
    ingest,
    loghub,
    pgaudit,
    syslog,
    tabular,
    windows,
)
from nexus_audit.ingest.records import Attempt, Event, Options, Skip

from .conftest import REAL_DATA, Backend

EVTX = REAL_DATA / "kerberos_pwd_spray_4771.evtx"


def test_loghub_linux_layout_gives_the_raw_lines_records(tmp_path: Path) -> None:
    raw = [
        "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= "
        "uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ",
        "Jun 14 15:16:02 combo su(pam_unix)[19937]: session opened for user cyrus by (uid=0)",
    ]
    (tmp_path / "Linux.log").write_text("\n".join(raw) + "\n", encoding="utf-8")
    (tmp_path / "Linux_structured.csv").write_text(
        "LineId,Month,Date,Time,Level,Component,PID,Content,EventId,EventTemplate\n"
        "1,Jun,14,15:16:01,combo,sshd(pam_unix),19939,authentication failure; logname= "
        "uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ,E1,x\n"
        "2,Jun,14,15:16:02,combo,su(pam_unix),19937,session opened for user cyrus by "
        "(uid=0),E2,y\n",
        encoding="utf-8",
    )
    options = Options(year=2005)

    from_raw = [
        r
        for r in syslog.read([tmp_path / "Linux.log"], options)
        if not isinstance(r, Skip)
    ]
    from_csv = [
        r
        for r in loghub.read([tmp_path / "Linux_structured.csv"], options)
        if not isinstance(r, Skip)
    ]

    stored = [r for r in from_raw if isinstance(r, Attempt | Event)]
    assert [type(r).__name__ for r in stored] == ["Event", "Attempt"]
    assert stored == [r for r in from_csv if isinstance(r, Attempt | Event)]


def test_loghub_unknown_header_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")

    with pytest.raises(ConfigError, match="not a loghub structured CSV"):
        list(loghub.read([path], Options()))


def test_generic_csv_with_a_column_map(tmp_path: Path) -> None:
    path = tmp_path / "idp.csv"
    path.write_text(
        "when,login,ip,result,lat,lon\n"
        "2026-02-01T10:00:00Z,alice,::ffff:192.0.2.7,success,48.85,2.35\n"
        "2026-02-01 11:00:00,bob,198.51.100.1,FAILED,,\n"
        ",carol,198.51.100.1,failed,,\n"
        "2026-02-01T12:00:00+01:00,dave,198.51.100.1,maybe,,\n",
        encoding="utf-8",
    )
    mapping = {
        "created_at": "when",
        "username": "login",
        "client_ip": "ip",
        "success": "result",
        "latitude": "lat",
        "longitude": "lon",
    }

    found = list(
        tabular.read_csv([path], Options(tz="Europe/Paris", column_map=mapping))
    )
    rows = [r for r in found if isinstance(r, Attempt)]

    assert [(a.username, a.client_ip, a.success) for a in rows] == [
        ("alice", "192.0.2.7", True),
        ("bob", "198.51.100.1", False),
    ]
    assert rows[0].latitude == 48.85 and rows[0].longitude == 2.35
    assert rows[1].created_at == datetime(2026, 2, 1, 10, tzinfo=UTC)  # Paris is UTC+1
    assert [(s.line, s.reason) for s in found if isinstance(s, Skip)] == [
        (4, "no created_at time"),
        (5, "success 'maybe' is not true or false"),
    ]


def test_jsonl_audit_events_with_nested_fields(tmp_path: Path) -> None:
    lines = [
        {
            "@timestamp": 1767261600000,
            "event": {"action": "user.account.lock"},
            "user": {"name": "eve"},
            "source": {"ip": "203.0.113.4"},
            "extra": "kept",
        },
        {"@timestamp": "2026-01-01T10:00:00Z", "user": {"name": "eve"}},
    ]
    path = tmp_path / "okta.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n{not json\n", "utf-8")
    mapping = {
        "created_at": "@timestamp",
        "event_type": "event.action",
        "username": "user.name",
        "actor_ip": "source.ip",
    }

    found = list(
        tabular.read_jsonl([path], Options(table="audit_log", column_map=mapping))
    )
    stored = [r for r in found if isinstance(r, Event)]

    assert [(e.event_type, e.account, e.actor_ip) for e in stored] == [
        ("user.account.lock", "eve", "203.0.113.4")
    ]
    assert stored[0].created_at == datetime(2026, 1, 1, 10, tzinfo=UTC)
    assert stored[0].details["extra"] == "kept"
    assert [s.line for s in found if isinstance(s, Skip)] == [2, 3]


@pytest.mark.skipif(
    not EVTX.is_file(), reason=f"real data folder {REAL_DATA} is absent"
)
def test_evtx_kerberos_spray() -> None:
    found = list(windows.read([EVTX], Options()))
    attempts = [r for r in found if isinstance(r, Attempt)]
    events = [r for r in found if isinstance(r, Event)]

    # SOURCES.md §5: seven 4768 status 0x6, two 4771 status 0x18, two 4768 status 0x0
    # for "normal" (the second from ::ffff:172.16.66.1), one 1102.
    assert [a.failure_reason for a in attempts if not a.success] == [
        "unknown_user"
    ] * 7 + ["bad_password"] * 2
    assert [(a.username, a.client_ip) for a in attempts if a.success] == [
        ("normal", "172.16.66.1"),
        ("normal", "172.16.66.1"),
    ]
    assert [(e.event_type, e.account) for e in events] == [
        ("audit_log_cleared", "a-jbrown")
    ]
    assert events[0].created_at == datetime(2020, 7, 22, 20, 29, 27, 321769, tzinfo=UTC)


def test_evtx_that_is_not_one_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "broken.evtx"
    path.write_bytes(b"ElfFile\x00" + b"\x00" * 100)

    found = list(windows.read([path], Options()))

    assert any(isinstance(r, Skip) for r in found)


def test_pgaudit_multiline_records_times_and_roles(tmp_path: Path) -> None:
    path = tmp_path / "postgresql.log"
    path.write_text(
        "2024-05-01 10:00:00.123 UTC [123] alice@payments LOG:  AUDIT: SESSION,1,1,ROLE,"
        "GRANT,,,GRANT admin TO bob,<none>\n"
        'NOTICE:  AUDIT: SESSION,2,1,DDL,CREATE TABLE,TABLE,public.t,"CREATE TABLE t (\n'
        "    id int,\n"
        '    note text DEFAULT ""x""\n'
        ')",<not logged>\n'
        "SELECT 1;\n"
        'NOTICE:  AUDIT: SESSION,3,1,READ,SELECT,,,"SELECT never ends\n',
        encoding="utf-8",
    )

    found = list(pgaudit.read([path], Options()))
    events = [r for r in found if isinstance(r, Event)]

    assert [(e.event_type, e.account, e.created_at) for e in events] == [
        (
            "privilege_change",
            "alice",
            datetime(2024, 5, 1, 10, 0, 0, 123000, tzinfo=UTC),
        ),
        ("db_ddl", None, None),
    ]
    assert (
        events[1].details["statement"]
        == 'CREATE TABLE t (\n    id int,\n    note text DEFAULT "x"\n)'
    )
    assert [(s.line, s.reason) for s in found if isinstance(s, Skip)] == [
        (6, "not a pgAudit record"),
        (7, "pgAudit record whose quoted statement never ends"),
    ]


def test_untimed_records_are_stored_and_counted(
    backend: Backend, tmp_path: Path
) -> None:
    path = tmp_path / "pgaudit.out"
    path.write_text(
        "NOTICE:  AUDIT: SESSION,1,1,ROLE,CREATE ROLE,,,CREATE ROLE r1,<not logged>\n"
        "NOTICE:  AUDIT: SESSION,1,1,ROLE,CREATE ROLE,,,CREATE ROLE r1,<not logged>\n",
        encoding="utf-8",
    )

    found = ingest("pgaudit", [path], backend.url)

    assert (found.events_stored, found.untimed_events) == (2, 2)
    engine = sa.create_engine(backend.url)
    with engine.connect() as connection:
        stored = connection.execute(
            sa.text("SELECT COUNT(*) FROM audit_log WHERE created_at IS NULL")
        ).scalar_one()
    engine.dispose()
    assert stored == 2


def test_unknown_format_and_missing_file_fail_before_reading(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown input format"):
        ingest("xml", [tmp_path], "duckdb:///:memory:")
    with pytest.raises(ConfigError, match="not found"):
        ingest("syslog", [tmp_path / "absent.log"], "duckdb:///:memory:")
    with pytest.raises(ConfigError, match="time zone"):
        ingest(
            "syslog", [tmp_path / "absent.log"], "duckdb:///:memory:", tz="Mars/Base"
        )
    assert sorted(FORMATS) == [
        "csv",
        "evtx",
        "jsonl",
        "loghub-csv",
        "pgaudit",
        "syslog",
    ]
