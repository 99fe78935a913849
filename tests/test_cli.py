"""The command line end to end, on both engines: files written and documented exit codes."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from click.testing import CliRunner
from pypdf import PdfReader

from nexus_audit.cli import ExitCode, main

from .conftest import Backend
from .scenario import february


def report(url: str, out: Path, *extra: str) -> tuple[int, str]:
    args = ["report", "--database", url, "--month", "2026-02", "--out", str(out), "-q"]
    outcome = CliRunner().invoke(main, [*args, *extra])
    return outcome.exit_code, outcome.output


def test_report_writes_html_pdf_and_evidence(backend: Backend, tmp_path: Path) -> None:
    february().write(backend.url)
    code, output = report(backend.url, tmp_path)

    assert code == ExitCode.OK, output
    assert (tmp_path / "report.html").stat().st_size > 0
    assert PdfReader(tmp_path / "report.pdf").pages
    evidence = sorted(p.name for p in (tmp_path / "evidence").glob("*.csv"))
    assert "brute_force_by_source.csv" in evidence and "dormant_accounts.csv" in evidence
    lines = (tmp_path / "evidence" / "dormant_accounts.csv").read_text().splitlines()
    assert len(lines) == 1 + 4


def test_fail_on_fail_exits_1(backend: Backend, tmp_path: Path) -> None:
    february().write(backend.url)

    code, output = report(backend.url, tmp_path, "--fail-on", "fail")
    assert code == ExitCode.FAILING_CONTROLS, output
    assert (tmp_path / "report.pdf").exists()


def test_failed_query_exits_3_with_a_report(backend: Backend, tmp_path: Path) -> None:
    february().write(backend.url)
    engine = sa.create_engine(backend.url)
    with engine.begin() as connection:
        connection.execute(sa.text("ALTER TABLE users DROP COLUMN status"))
        connection.execute(sa.text("ALTER TABLE users ADD COLUMN status INTEGER"))
        connection.execute(sa.text("UPDATE users SET status = 1"))
    engine.dispose()

    code, output = report(backend.url, tmp_path)
    assert code == ExitCode.INCOMPLETE, output
    assert "incomplete" in output
    assert (tmp_path / "report.html").exists()


def test_unreachable_database_exits_4(tmp_path: Path) -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"

    code, output = report(url, tmp_path)
    assert code == ExitCode.DATABASE, output
    assert not (tmp_path / "report.html").exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    code, output = report("duckdb:///x.duckdb", tmp_path, "--month", "2026-13")
    assert code == ExitCode.USAGE and "2026-13" in output

    outcome = CliRunner(env={"NEXUS_AUDIT_DATABASE_URL": None}).invoke(
        main, ["report", "--out", str(tmp_path), "-q"]
    )
    assert outcome.exit_code == ExitCode.USAGE
    assert "NEXUS_AUDIT_DATABASE_URL" in outcome.output


def test_format_writes_the_machine_readable_outputs(
    backend: Backend, tmp_path: Path
) -> None:
    february().write(backend.url)
    code, output = report(backend.url, tmp_path, "--format", "json,junit,oscal,csv")

    assert code == ExitCode.OK, output
    for name in ("results.json", "junit.xml", "oscal-assessment-results.json",
                 "controls.csv"):
        assert (tmp_path / name).stat().st_size > 0, name
    assert not (tmp_path / "report.pdf").exists()

    code, output = report(backend.url, tmp_path, "--format", "html,docx")
    assert code == ExitCode.USAGE and "docx" in output
