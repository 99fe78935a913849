"""The built wheel carries the SQL and templates under the package and renders a report
when installed outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import sys, nexus_audit
from nexus_audit.cli import main
print(nexus_audit.__file__, file=sys.stderr)
sys.argv = ["nexus-audit", "demo", "--events", "20000", "--month", "2026-11",
            "--out", "out", "-q"]
main()
"""


def build_wheel(folder: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(folder),
            str(ROOT),
        ],
        check=True,
    )
    return next(folder.glob("nexus_audit-*.whl"))


def test_wheel_layout_and_installed_report(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path / "dist")
    names = set(zipfile.ZipFile(wheel).namelist())

    assert "nexus_audit/_queries/dormant_accounts.sql" in names
    assert "nexus_audit/_report_templates/report.html" in names
    assert "nexus_audit/checklists/pci-dss.toml" in names
    assert "nexus_audit/py.typed" in names
    assert not any(n.startswith(("queries/", "report_templates/")) for n in names)

    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
    )
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines()[0].startswith(str(site))
    assert (work / "out" / "report.pdf").stat().st_size > 0
    assert (work / "out" / "report.html").stat().st_size > 0
    assert (work / "out" / "evidence" / "brute_force_by_source.csv").exists()
