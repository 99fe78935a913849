"""Same database, period and options: the same report, on both engines, from the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from nexus_audit.cli import ExitCode, main
from nexus_audit.verify import verify_report

from .conftest import Backend
from .scenario import february

ENV = {"NEXUS_AUDIT_PSEUDONYM_KEY": "reproducible-report-key"}
WHEN = "2026-03-01T06:00:00Z"


def report(url: str, out: Path, *extra: str) -> None:
    args = ["report", "--database", url, "--month", "2026-02", "--out", str(out), "-q"]
    outcome = CliRunner(env=ENV).invoke(main, [*args, *extra])
    assert outcome.exit_code == ExitCode.OK, outcome.output


def pdf_content(path: Path) -> tuple[list[str], dict[str, bytes]]:
    reader = PdfReader(path)
    text = [page.extract_text() or "" for page in reader.pages]
    return text, {name: data[0] for name, data in reader.attachments.items()}


def test_two_runs_give_the_same_report(backend: Backend, tmp_path: Path) -> None:
    february().write(backend.url)
    first, second = tmp_path / "first", tmp_path / "second"

    report(backend.url, first, "--generated-at", WHEN)
    report(backend.url, second, "--generated-at", WHEN)

    html = (first / "report.html").read_bytes()
    assert html == (second / "report.html").read_bytes()
    assert pdf_content(first / "report.pdf") == pdf_content(second / "report.pdf")
    for csv in (first / "evidence").iterdir():
        assert csv.read_bytes() == (second / "evidence" / csv.name).read_bytes()
    assert (
        "Generated 2026-03-01 06:00:00 UTC" in pdf_content(first / "report.pdf")[0][0]
    )
    assert verify_report(first).is_valid and verify_report(second).is_valid


def test_manifest_names_engine_server_queries_and_runner(
    backend: Backend, tmp_path: Path
) -> None:
    february().write(backend.url)
    report(backend.url, tmp_path, "--format", "html")
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    engine = "postgresql" if backend.url.startswith("postgresql") else "duckdb"

    assert manifest["database"]["engine"] == engine
    assert re.match(
        rf"{engine} (PostgreSQL \d+|v\d+\.\d+)", manifest["database"]["server_version"]
    )
    assert manifest["run_by"]
    hashes = [q["sql_sha256"] for q in manifest["queries"]]
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes)
    assert len(set(hashes)) == len(hashes)
    dormant = next(q for q in manifest["queries"] if q["name"] == "dormant_accounts")
    assert dormant["row_count"] == 4  # bob, gina, carol, ivan (tests/test_queries.py)
    assert dormant["parameters"]["max_inactive_days"] == 90


def test_show_personal_data_flag(backend: Backend, tmp_path: Path) -> None:
    february().write(backend.url)

    report(backend.url, tmp_path / "hidden", "--format", "html")
    report(backend.url, tmp_path / "clear", "--format", "html", "--show-personal-data")

    hidden = (tmp_path / "hidden" / "evidence" / "dormant_accounts.csv").read_text()
    clear = (tmp_path / "clear" / "evidence" / "dormant_accounts.csv").read_text()
    assert ",bob," in clear and ",bob," not in hidden and ",user-" in hidden
