"""The history store: versioned records, trends, and new / open / resolved findings."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from nexus_audit import Period, run_audit
from nexus_audit.config import Settings
from nexus_audit.errors import ConfigError
from nexus_audit.history import (
    ControlEntry,
    HistoryRecord,
    changes,
    load_history,
    save_record,
)

from .conftest import Backend
from .scenario import PERIOD, february


def record(
    period: str, controls: list[tuple[str, str, tuple[str, ...]]]
) -> HistoryRecord:
    start = datetime.fromisoformat(f"{period}-01").replace(tzinfo=UTC)
    return HistoryRecord(
        period=period,
        period_start=start,
        period_end=start,
        generated_at=start,
        library_version="test",
        organisation="Org",
        frameworks=(),
        controls=tuple(
            ControlEntry(
                control_id=cid,
                framework="pci-dss",
                title=cid,
                status=status,
                finding_count=len(findings),
                waived=False,
                findings=findings,
            )
            for cid, status, findings in controls
        ),
    )


def test_new_open_and_resolved() -> None:
    before = record(
        "2026-01",
        [
            ("A", "fail", ("A:1", "A:2")),
            ("B", "fail", ("B",)),
            ("C", "fail", ("C:x",)),
        ],
    )
    now = record(
        "2026-02",
        [
            ("A", "fail", ("A:2", "A:3")),
            ("B", "pass", ()),
            ("C", "no_data", ()),  # its table went missing: nothing is resolved
        ],
    )

    found = {(c.finding_id, c.change) for c in changes(before, now)}
    assert found == {
        ("A:3", "new"),
        ("A:2", "open"),
        ("A:1", "resolved"),
        ("B", "resolved"),
    }


def test_records_round_trip_and_bad_files_are_named(tmp_path: Path) -> None:
    path = save_record(tmp_path, record("2026-01", [("A", "fail", ("A:1",))]))
    data = json.loads(path.read_text(encoding="utf-8"))

    assert path.name == "2026-01.json"
    assert (data["format"], data["version"]) == ("nexus-audit-history", 1)
    assert load_history(tmp_path)[0].controls[0].findings == ("A:1",)

    (tmp_path / "2025-12.json").write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"2025-12\.json is not a nexus-audit-history"
    ):
        load_history(tmp_path)


def test_two_months_of_the_scenario(backend: Backend, tmp_path: Path) -> None:
    february().write(backend.url)
    settings = Settings(history_dir=tmp_path / "history")

    run_audit(backend.url, Period.month(2026, 1), settings=settings)
    result = run_audit(backend.url, PERIOD, settings=settings)
    again = run_audit(backend.url, PERIOD, settings=settings)

    assert sorted(p.name for p in (tmp_path / "history").iterdir()) == [
        "2026-01.json",
        "2026-02.json",
    ]
    assert result.trend is not None and result.trend.previous_period == "2026-01"
    assert {p.period for p in result.score_history} == {"2026-01", "2026-02"}
    assert [p.score for p in result.score_history if p.period == "2026-02"] == [
        s.score for s in result.frameworks
    ]
    assert again.trend == result.trend

    # Dormant at 2026-02-01: alice, frank and svc-batch (no login before it, counted
    # from 2025-01-01), bob (2025-10-01) and gina (2025-11-01); at 2026-03-01: bob,
    # carol, gina and ivan (test_audit). Grants 4 (self-approved) and 6 (no approver)
    # were made in February; January had none.
    kinds = {c.finding_id: c.change for c in result.trend.changes}
    assert {k: v for k, v in kinds.items() if k.startswith("PCI-8.2.6:")} == {
        "PCI-8.2.6:2": "open",
        "PCI-8.2.6:8": "open",
        "PCI-8.2.6:3": "new",
        "PCI-8.2.6:10": "new",
        "PCI-8.2.6:1": "resolved",
        "PCI-8.2.6:6": "resolved",
        "PCI-8.2.6:7": "resolved",
    }
    assert kinds["PCI-7.2.3:4"] == "new" and kinds["PCI-7.2.3:6"] == "new"


def test_report_command_takes_the_files_and_the_history(
    backend: Backend, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from nexus_audit.cli import main

    february().write(backend.url)
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(
        '[[waivers]]\nid = "W-1"\ncontrol = "PCI-8.4.1"\njustification = "j"\n'
        'requested_by = "a"\napproved_by = "b"\nexpires = 2026-12-31\n',
        encoding="utf-8",
    )
    attestations = tmp_path / "attest.toml"
    attestations.write_text(
        '[[attestations]]\ncontrol = "PCI-ATT-8.3.8"\nresult = "pass"\nattested_by = "c"\n'
        'attested_at = 2026-02-01\nevidence = "e"\nvalid_until = 2026-12-31\n',
        encoding="utf-8",
    )
    outcome = CliRunner().invoke(
        main,
        [
            "report",
            "--database", backend.url,
            "--month", "2026-02",
            "--format", "html",
            "--out", str(tmp_path / "out"),
            "--history", str(tmp_path / "history"),
            "--waivers", str(waivers),
            "--attestations", str(attestations),
            "-q",
        ],
    )  # fmt: skip

    assert outcome.exit_code == 0, outcome.output
    assert (tmp_path / "history" / "2026-02.json").is_file()
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "W-1" in html and "PCI-ATT-8.3.8" in html

    bad = CliRunner().invoke(
        main, ["report", "--database", backend.url, "--waivers", str(attestations)]
    )
    assert bad.exit_code == 2
    assert "attest.toml" in bad.output
