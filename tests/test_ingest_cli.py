"""``nexus-audit ingest``: summary on stderr, exit codes, a second run adds nothing."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from nexus_audit.cli import INGEST_FORMATS, main
from nexus_audit.ingest import FORMATS

from .conftest import Backend

LINES = [
    "Mar  1 10:00:00 host sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2",
    "Mar  1 10:00:01 host sshd[1]: message repeated 2 times: [ Failed password for root "
    "from 192.0.2.1 port 22 ssh2]",
    "Mar  1 10:00:02 host sshd[1]: Accepted password for root from 192.0.2.1 port 22 ssh2",
    "Mar  1 10:00:03 host kernel: eth0 up",
]


def test_ingest_twice_reports_what_it_stored(backend: Backend, tmp_path: Path) -> None:
    path = tmp_path / "auth.log"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    runner = CliRunner()
    command = [
        "ingest",
        "syslog",
        str(path),
        "--database",
        backend.url,
        "--year",
        "2024",
    ]

    first = runner.invoke(main, command)
    second = runner.invoke(main, command)

    assert first.exit_code == 0, first.output
    assert "read 4 lines from 1 file(s) as syslog" in first.output
    assert (
        "stored 4 login attempts and 0 audit events (0 already present)" in first.output
    )
    assert "1 × no authentication or account event (kernel): auth.log:4" in first.output
    assert second.exit_code == 0
    assert (
        "stored 0 login attempts and 0 audit events (4 already present)"
        in second.output
    )


def test_ingest_usage_errors_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    database = f"duckdb:///{tmp_path / 'x.duckdb'}"

    unknown = runner.invoke(main, ["ingest", "xml", "a.log", "--database", database])
    missing = runner.invoke(
        main, ["ingest", "syslog", str(tmp_path / "none.log"), "--database", database]
    )
    export = tmp_path / "export.csv"
    export.write_text("created_at,success\n", encoding="utf-8")
    bad_map = runner.invoke(
        main, ["ingest", "csv", str(export), "--database", database, "--column", "x"]
    )

    assert unknown.exit_code == 2
    assert missing.exit_code == 2 and "not found" in missing.output
    assert bad_map.exit_code == 2 and "--column takes NAME=VALUE" in bad_map.output
    assert sorted(INGEST_FORMATS) == sorted(FORMATS)
