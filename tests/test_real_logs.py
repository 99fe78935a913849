"""Real logs nobody here wrote give the answers their SOURCES.md states, on both engines.

The files live in ``../shared/data/real/`` beside the repository and are read in place,
never copied. Every file is read in UTC over its whole span, with "message repeated"
lines expanded; the expected numbers are the ones SOURCES.md gives, section by section.
"""

from __future__ import annotations

import csv
import ipaddress
import json
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from nexus_audit import IngestReport, Period, audit_report, ingest_files, run_audit
from nexus_audit.cli import main
from nexus_audit.config import Settings

from .conftest import REAL_DATA, Backend
from .test_detections import detect

pytestmark = pytest.mark.skipif(
    not (REAL_DATA / "SOURCES.md").is_file(),
    reason=f"the real log samples are not there ({REAL_DATA}, i.e. ../shared/data/real "
    "beside the repository); these tests read them in place",
)

WHOLE = Period(datetime(1970, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
# The files carry no year; any year works, and 2017 is auth.log's (its recipe's) year.
FILES = {
    "OpenSSH_2k.log": ("syslog", 2017),
    "OpenSSH_2k.log_structured.csv": ("loghub-csv", 2017),
    "Linux_2k.log": ("syslog", 2005),
    "auth.log": ("syslog", 2017),
    "kerberos_pwd_spray_4771.evtx": ("evtx", None),
    "pgaudit.out": ("pgaudit", None),
}
# SOURCES.md §1: the 9 naive sources plus the 2 hidden in "message repeated" lines.
OPENSSH_BRUTE_FORCE = {
    "183.62.140.253", "187.141.143.180", "103.99.0.122", "112.95.230.3", "5.188.10.180",
    "185.190.58.151", "123.235.32.19", "119.4.203.64", "60.2.12.12", "5.36.59.76",
    "106.5.5.195",
}  # fmt: skip


def load(url: str, name: str) -> IngestReport:
    kind, year = FILES[name]
    return ingest_files(kind, [REAL_DATA / name], url, year=year)


def counts(url: str) -> tuple[int, int]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        found = tuple(
            int(
                connection.execute(
                    sa.text(f"SELECT COUNT(*) FROM {table}")
                ).scalar_one()
            )
            for table in ("login_attempts", "audit_log")
        )
    engine.dispose()
    return found[0], found[1]


def test_openssh_brute_force_sources(backend: Backend) -> None:
    load(backend.url, "OpenSSH_2k.log")

    found = detect(backend.url, "brute_force_by_source", WHOLE)
    wazuh = detect(
        backend.url, "brute_force_by_source", WHOLE, min_failures=8, window_minutes=2
    )

    assert set(found["client_ip"]) == OPENSSH_BRUTE_FORCE
    assert found.set_index("client_ip").loc["5.36.59.76", "peak_failures"] == 6
    assert set(wazuh["client_ip"]) == {
        "183.62.140.253", "103.99.0.122", "112.95.230.3", "187.141.143.180",
        "5.188.10.180", "185.190.58.151",
    }  # fmt: skip
    assert detect(backend.url, "failures_then_success", WHOLE).empty
    # Elastic's SSH spraying rule fires on these two (SOURCES.md, 5-minute buckets); the
    # sliding window over the Failed lines alone finds the same two sources.
    spray = detect(backend.url, "password_spray_by_source", WHOLE)
    assert set(spray["client_ip"]) == {"103.99.0.122", "187.141.143.180"}


def test_loghub_csv_matches_the_raw_log(backend: Backend, tmp_path: Path) -> None:
    separate = f"duckdb:///{tmp_path / 'csv.duckdb'}"
    load(separate, "OpenSSH_2k.log_structured.csv")
    load(backend.url, "OpenSSH_2k.log")

    from_csv = detect(separate, "brute_force_by_source", WHOLE)
    same_rows = load(backend.url, "OpenSSH_2k.log_structured.csv")

    assert set(from_csv["client_ip"]) == OPENSSH_BRUTE_FORCE
    # Every record of the CSV is one the raw log already stored: identical keys.
    assert (same_rows.attempts_stored, same_rows.events_stored) == (0, 0)
    assert (
        same_rows.already_stored == same_rows.attempts_read + same_rows.events_read > 0
    )


def test_auth_log_brute_force_takeover_and_new_sources(backend: Backend) -> None:
    found = load(backend.url, "auth.log")

    brute = detect(backend.url, "brute_force_by_source", WHOLE)
    wazuh = detect(
        backend.url, "brute_force_by_source", WHOLE, min_failures=8, window_minutes=2
    )
    takeover = detect(backend.url, "failures_then_success", WHOLE)
    new = detect(
        backend.url,
        "new_source_for_user",
        WHOLE,
        lookback_days=36500,
        privileged_only=False,
    )

    # SOURCES.md §4: 628 Failed password + 410 hidden in repeats + 4 Failed publickey
    # + 226 Accepted lines are the attempts.
    assert found.attempts_stored == 628 + 410 + 4 + 226
    assert len(brute) == 101 and len(wazuh) == 11
    assert detect(backend.url, "password_spray_by_source", WHOLE).empty  # SOURCES.md: 0
    row = takeover.set_index(["client_ip", "username"]).loc[
        ("24.151.103.17", "elastic_user_0")
    ]
    assert row["success_at"] == datetime(2017, 3, 30, 16, 1, 36, tzinfo=UTC)
    assert row["failures_before"] == 147
    assert len(new) == 15
    pairs = set(zip(new["username"], new["client_ip"], strict=True))
    assert {
        ("ubuntu", "95.93.96.191"),
        ("elastic_user_2", "95.93.96.191"),
        ("elastic_user_3", "95.93.96.191"),
        ("elastic_user_9", "95.93.96.191"),
    } <= pairs
    ubuntu = new.set_index("username").loc["ubuntu"]
    assert ubuntu["login_at"] == datetime(2017, 4, 9, 18, 30, 15, tzinfo=UTC)
    assert ubuntu["previous_ip"] == "85.245.107.41"


def test_kerberos_spray_is_brute_force_then_success(backend: Backend) -> None:
    load(backend.url, "kerberos_pwd_spray_4771.evtx")

    brute = detect(backend.url, "brute_force_by_source", WHOLE)
    success = detect(backend.url, "failures_then_success", WHOLE)

    assert brute["client_ip"].tolist() == ["172.16.66.1"]
    assert (brute["failures_in_period"][0], brute["distinct_usernames"][0]) == (9, 9)
    # Both successes of "normal" count for 172.16.66.1, one written ::ffff:172.16.66.1.
    assert success[["client_ip", "username", "successes"]].values.tolist() == [
        ["172.16.66.1", "normal", 2]
    ]
    assert success["failures_before"][0] == 9


def test_linux_log_counts_host_names_as_sources(backend: Backend) -> None:
    load(backend.url, "Linux_2k.log")

    found = detect(backend.url, "brute_force_by_source", WHOLE)
    wazuh = detect(
        backend.url, "brute_force_by_source", WHOLE, min_failures=8, window_minutes=3
    )

    def is_ip(text: str) -> bool:
        try:
            ipaddress.ip_address(text)
        except ValueError:
            return False
        return True

    kinds = Counter("ip" if is_ip(source) else "host" for source in found["client_ip"])
    assert len(found) == 39 and kinds == {"ip": 21, "host": 18}
    top = found.sort_values("peak_failures").iloc[-1]
    assert (top["client_ip"], top["peak_failures"]) == ("150.183.249.110", 80)
    assert len(wazuh) == 31


def test_pgaudit_records_and_privilege_changes(backend: Backend) -> None:
    found = load(backend.url, "pgaudit.out")

    engine = sa.create_engine(backend.url)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT event_type, details FROM audit_log WHERE created_at IS NULL"
            )
        ).all()
    engine.dispose()
    roles = Counter(
        json.loads(details)["command"]
        for kind, details in rows
        if kind == "privilege_change"
    )

    # SOURCES.md §6: 415 records, 179 of them over several lines; class ROLE = 50.
    assert (found.events_stored, found.untimed_events, len(rows)) == (415, 415, 415)
    assert roles == {
        "ALTER ROLE": 28, "GRANT": 9, "CREATE ROLE": 5, "DROP ROLE": 4, "GRANT ROLE": 1,
        "REVOKE ROLE": 1, "CREATE USER MAPPING": 1, "ALTER USER MAPPING": 1,
    }  # fmt: skip


@pytest.mark.parametrize("name", sorted(FILES))
def test_loading_a_real_file_twice_changes_nothing(backend: Backend, name: str) -> None:
    first = load(backend.url, name)
    after_first = counts(backend.url)
    second = load(backend.url, name)

    assert after_first == (first.attempts_stored, first.events_stored)
    assert counts(backend.url) == after_first
    assert (second.attempts_stored, second.events_stored) == (0, 0)
    assert second.lines_read == first.lines_read > 0


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as file:
        return list(csv.DictReader(file))


def _section(html: str) -> str:
    start = html.index('<section class="login-anomalies"')
    return html[start : html.index("</section>", start)]


def test_auth_log_report_end_to_end(backend: Backend, tmp_path: Path) -> None:
    load(backend.url, "auth.log")
    days = Period.days_between(
        datetime(2017, 3, 27).date(), datetime(2017, 4, 20).date()
    )

    result, paths = audit_report(
        backend.url,
        days,
        out_dir=tmp_path,
        formats=["html"],
        settings=Settings(),
        show_personal_data=True,
    )
    section = _section(paths["html"].read_text(encoding="utf-8"))
    findings = dict(
        re.findall(
            r"<code>(\w+)</code> — [^<]*</td><td[^>]*>[^<]*</td><td[^>]*>(\d+)</td>",
            section,
        )
    )
    evidence = read_csv(tmp_path / "evidence" / "brute_force_by_source.csv")

    assert findings["brute_force_by_source"] == "101"
    assert findings["failures_then_success"] == "1"
    assert "24.151.103.17" in section and "elastic_user_0" in section
    assert "Failed logins per day" in section
    assert len(evidence) == 101
    found = {c.control_id: (c.status.value, c.finding_count) for c in result.controls}
    assert found["PCI-10.2.1.4-LA"] == ("fail", 101)
    assert found["PCI-10.4.1-LA"] == ("fail", 1)


def test_allowlist_keeps_known_sources_out_and_counts_them(backend: Backend) -> None:
    load(backend.url, "auth.log")
    days = Period.days_between(
        datetime(2017, 3, 27).date(), datetime(2017, 4, 20).date()
    )

    result = run_audit(
        backend.url, days, settings=Settings(allowlist=("24.151.103.0/24",))
    )

    assert len(result.frame("brute_force_by_source")) == 100
    assert result.frame("failures_then_success").empty
    assert result.allowlisted["brute_force_by_source"] == 1
    assert result.allowlisted["failures_then_success"] == 1


def test_cli_report_days_and_params(duckdb_backend: Backend, tmp_path: Path) -> None:
    runner = CliRunner()
    loaded = runner.invoke(
        main,
        [
            "ingest",
            "syslog",
            str(REAL_DATA / "auth.log"),
            "--database",
            duckdb_backend.url,
            "--year",
            "2017",
        ],
    )
    # Wazuh 5763's numbers through --param: 8 failures within 2 minutes → 11 sources.
    report = runner.invoke(
        main,
        [
            "report",
            "--database",
            duckdb_backend.url,
            "--from",
            "2017-03-27",
            "--to",
            "2017-04-20",
            "--param",
            "brute_force_by_source.min_failures=8",
            "--param",
            "brute_force_by_source.window_minutes=2",
            "--format",
            "html",
            "--out",
            str(tmp_path),
            "-q",
        ],
    )
    rows = read_csv(tmp_path / "evidence" / "brute_force_by_source.csv")
    days = [
        row["day"][:10]
        for row in read_csv(tmp_path / "evidence" / "failed_logins_per_day.csv")
    ]

    assert loaded.exit_code == 0, loaded.output
    assert "stored 1268 login attempts" in loaded.output
    assert report.exit_code in (0, 1), report.output
    assert len(rows) == 11
    # --to is included: the log's last day, 20 April (12 failures), is in the period.
    assert days[-1] == "2017-04-20" and len(days) == 23
