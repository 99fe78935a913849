"""Raw syslog authentication logs: years, addresses, counting rules, bad lines, re-loads."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from nexus_audit.ingest import ingest, syslog
from nexus_audit.ingest.records import Attempt, Event, FileRead, Options, Record, Skip

from .conftest import Backend

HOSTILE = '"><svg onload=alert(document.domain)>'


def write(path: Path, lines: list[str], *, gz: bool = False) -> Path:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def records(paths: list[Path], **options: object) -> list[Record]:
    return list(syslog.read(paths, Options(**options)))  # type: ignore[arg-type]


def attempts(found: list[Record]) -> list[Attempt]:
    return [r for r in found if isinstance(r, Attempt)]


def events(found: list[Record]) -> list[Event]:
    return [r for r in found if isinstance(r, Event)]


def skips(found: list[Record]) -> list[Skip]:
    return [r for r in found if isinstance(r, Skip)]


def failed(
    day: str, clock: str, user: str, ip: str, pid: int = 100, host: str = "host"
) -> str:
    return f"{day} {clock} {host} sshd[{pid}]: Failed password for {user} from {ip} port 22 ssh2"


def test_rotated_set_across_new_year_gets_each_line_its_year(tmp_path: Path) -> None:
    # Read on 2 January 2025: December lines are 2024, January lines 2025, including the
    # 31 December line that sits in the same rotated file as 1 January.
    write(
        tmp_path / "auth.log.2.gz",
        [
            failed("Dec 30", "10:00:00", "a", "192.0.2.1"),
            failed("Dec 31", "10:00:00", "a", "192.0.2.1"),
        ],
        gz=True,
    )
    write(
        tmp_path / "auth.log.1",
        [
            failed("Dec 31", "23:59:59", "b", "192.0.2.1"),
            failed("Jan  1", "00:00:01", "b", "192.0.2.1"),
        ],
    )
    write(
        tmp_path / "auth.log",
        [
            failed("Jan  1", "10:00:00", "c", "192.0.2.1"),
            failed("Jan  2", "09:00:00", "c", "192.0.2.1"),
        ],
    )
    paths = [tmp_path / name for name in ("auth.log", "auth.log.1", "auth.log.2.gz")]

    found = attempts(records(paths, now=datetime(2025, 1, 2, 12, tzinfo=UTC)))

    assert sorted(a.created_at.isoformat() for a in found) == [
        "2024-12-30T10:00:00+00:00",
        "2024-12-31T10:00:00+00:00",
        "2024-12-31T23:59:59+00:00",
        "2025-01-01T00:00:01+00:00",
        "2025-01-01T10:00:00+00:00",
        "2025-01-02T09:00:00+00:00",
    ]


def test_year_option_sets_the_first_line_and_counts_the_wrap(tmp_path: Path) -> None:
    path = write(
        tmp_path / "auth.log",
        [
            failed("Dec 31", "23:00:00", "a", "192.0.2.1"),
            failed("Jan  1", "01:00:00", "a", "192.0.2.1"),
        ],
    )

    found = attempts(records([path], year=2017))

    assert [a.created_at.year for a in found] == [2017, 2018]


def test_29_february_puts_the_file_in_a_leap_year(tmp_path: Path) -> None:
    lines = [
        failed(day, "12:00:00", "a", "192.0.2.1")
        for day in ("Feb 28", "Feb 29", "Mar  1")
    ]
    path = write(tmp_path / "auth.log", lines)

    found = attempts(records([path], now=datetime(2025, 3, 5, tzinfo=UTC)))
    forced = records([path], year=2025)

    assert [a.created_at.date().isoformat() for a in found] == [
        "2024-02-28",
        "2024-02-29",
        "2024-03-01",
    ]
    assert len(attempts(forced)) == 2
    assert [(s.line, s.reason[:21]) for s in skips(forced)] == [
        (2, "impossible date 2025-")
    ]


def test_times_without_zone_are_read_in_tz(tmp_path: Path) -> None:
    path = write(
        tmp_path / "auth.log", [failed("Jul  1", "12:00:00", "a", "192.0.2.1")]
    )

    found = attempts(records([path], year=2024, tz="Europe/Berlin"))

    assert found[0].created_at == datetime(2024, 7, 1, 10, tzinfo=UTC)


def test_message_repeated_stands_for_n_attempts(tmp_path: Path) -> None:
    path = write(
        tmp_path / "auth.log",
        [
            failed("Mar  1", "10:00:00", "root", "192.0.2.5", pid=7),
            "Mar  1 10:00:05 host sshd[7]: message repeated 3 times: [ Failed password for root "
            "from 192.0.2.5 port 22 ssh2]",
        ],
    )

    found = attempts(records([path], year=2024))

    assert len(found) == 4
    assert {a.created_at.second for a in found} == {0, 5}
    assert len({a.key for a in found}) == 4


def test_addresses_keep_their_full_form(tmp_path: Path) -> None:
    path = write(
        tmp_path / "auth.log",
        [
            failed("Mar  1", "10:00:00", "alice", "2001:db8:1287::1:1"),
            failed(
                "Mar  1", "10:00:01", "alice", "2001:0db8:1287:0000:0000:0000:0001:0001"
            ),
            failed("Mar  1", "10:00:02", "bob", "::ffff:192.0.2.44"),
            "Mar  1 10:00:03 combo sshd(pam_unix)[9]: authentication failure; logname= uid=0 "
            "euid=0 tty=NODEVssh ruser= rhost=Host-7.Example.NET  user=root",
        ],
    )

    found = attempts(records([path], year=2024))

    assert [a.client_ip for a in found] == [
        "2001:db8:1287::1:1",
        "2001:db8:1287::1:1",
        "192.0.2.44",
        "host-7.example.net",
    ]


def test_preauth_disconnects_are_events_with_user_and_address(tmp_path: Path) -> None:
    path = write(
        tmp_path / "auth.log",
        [
            "Mar  1 10:00:00 bastion-01 sshd[1]: Disconnecting invalid user git 203.0.113.9 "
            "port 58410: Too many authentication failures [preauth]",
            "Mar  1 10:00:01 bastion-01 sshd[2]: Disconnecting authenticating user root "
            "198.51.100.4 port 2201: Too many authentication failures [preauth]",
            "Mar  1 10:00:02 bastion-01 sshd[3]: Connection closed by invalid user admin "
            "203.0.113.9 port 4242 [preauth]",
        ],
    )

    found = records([path], year=2024)

    assert not skips(found) and not attempts(found)
    assert [(e.event_type, e.account, e.actor_ip) for e in events(found)] == [
        ("preauth_disconnect", "git", "203.0.113.9"),
        ("preauth_disconnect", "root", "198.51.100.4"),
        ("preauth_disconnect", "admin", "203.0.113.9"),
    ]


def test_a_hostile_user_name_is_stored_exactly(tmp_path: Path) -> None:
    path = write(
        tmp_path / "auth.log",
        [
            f"Mar  1 10:00:00 host sshd[1]: Failed password for invalid user {HOSTILE} from "
            "203.0.113.50 port 51234 ssh2",
            "Mar  1 10:00:01 host sshd[1]: Failed password for invalid user  from "
            "203.0.113.50 port 51235 ssh2",
        ],
    )

    found = attempts(records([path], year=2024))

    assert [a.username for a in found] == [HOSTILE, ""]
    assert {a.failure_reason for a in found} == {"unknown_user"}


def test_pam_failures_count_only_where_sshd_logs_no_failed_line(tmp_path: Path) -> None:
    # New form: PAM and sshd both log the one wrong password; old form: only PAM does.
    new = write(
        tmp_path / "new.log",
        [
            "Mar  1 10:00:00 a sshd[5]: pam_unix(sshd:auth): authentication failure; logname= "
            "uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.8  user=root",
            failed("Mar  1", "10:00:02", "root", "192.0.2.8", pid=5, host="a"),
        ],
    )
    old = write(
        tmp_path / "old.log",
        [
            "Jun 14 15:16:01 b sshd(pam_unix)[19939]: authentication failure; logname= uid=0 "
            "euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ",
            "Jun 14 15:16:02 b sshd(pam_unix)[19937]: check pass; user unknown",
        ],
    )

    found_new = records([new], year=2024)
    found_old = records([old], year=2024)

    assert [(a.username, a.failure_reason) for a in attempts(found_new)] == [
        ("root", "bad_password")
    ]
    assert [e.event_type for e in events(found_new)] == ["pam_auth_failure"]
    assert [(a.username, a.client_ip) for a in attempts(found_old)] == [
        (None, "218.188.2.4")
    ]
    assert [s.reason for s in skips(found_old)] == ["detail of a PAM failure line"]


def test_bad_lines_are_reported_and_good_lines_kept(tmp_path: Path) -> None:
    good = [failed("Mar  1", f"10:00:0{i}", "root", "192.0.2.1") for i in range(4)]
    path = tmp_path / "auth.log"
    path.write_bytes(
        (good[0] + "\n").encode()
        + b"Mar  1 10:00:09 host sshd[1]: Failed \x00\x01\x02 binary\n"
        + (good[1] + "\n").encode()
        + b"Mar  1 10:00:10 host sshd[1]: Failed password for \xff\xfe from 1.2.3.4\n"
        + b"garbage that is no syslog line\n"
        + (good[2] + "\n").encode()
    )
    truncated = tmp_path / "auth.log.1.gz"
    whole = gzip.compress(("\n".join(good) + "\n").encode() * 200)
    truncated.write_bytes(whole[: len(whole) // 2])

    found = records([path], year=2024)
    cut = records([truncated], year=2024)

    assert len(attempts(found)) == 3
    assert [(s.line, s.reason) for s in skips(found)] == [
        (2, "binary data (NUL bytes) in the line"),
        (4, "not valid UTF-8 text"),
        (5, "not a syslog line"),
    ]
    assert [r.lines for r in found if isinstance(r, FileRead)] == [6]
    assert 0 < len(attempts(cut)) < 800
    assert "compressed data ends early" in skips(cut)[-1].reason


def _count(url: str) -> tuple[int, int]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        counts = tuple(
            connection.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
            for table in ("login_attempts", "audit_log")
        )
    engine.dispose()
    return counts  # type: ignore[return-value]


def test_loading_again_adds_nothing_even_under_another_name(
    backend: Backend, tmp_path: Path
) -> None:
    lines = [
        failed("Mar  1", "10:00:00", "root", "192.0.2.1"),
        failed(
            "Mar  1", "10:00:00", "root", "192.0.2.1"
        ),  # identical: a second attempt
        "Mar  1 10:00:01 host sshd[100]: Invalid user zz from 192.0.2.1 port 22",
        "Mar  1 10:00:02 host CRON[5]: (root) CMD (true)",
    ]
    first = write(tmp_path / "auth.log", lines)
    renamed = write(tmp_path / "auth.log.1.gz", lines, gz=True)

    one = ingest("syslog", [first], backend.url, year=2024)
    two = ingest("syslog", [renamed], backend.url, year=2024)

    assert (one.attempts_stored, one.events_stored, one.lines_read) == (2, 1, 4)
    assert one.skipped == {
        "no authentication or account event (CRON)": [("auth.log", 4)]
    }
    assert (two.attempts_stored, two.events_stored, two.already_stored) == (0, 0, 3)
    assert _count(backend.url) == (2, 1)
