"""The demo, end to end: catalog findings, waivers, attestations, trend and changes.

The expected findings are the planted facts of the demo's specification (``INJECTED``
and ``_stories.STORIES``, described in the README under "Demo data"), not values read
back from a run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nexus_audit import AuditResult, Period, Status
from nexus_audit.api import demo_report

from .conftest import Backend

MONTH = Period.month(2026, 11)
EVENTS = 30_000

# Findings the catalog adds on the demo (README, "The catalog on the demo").
CATALOG_FINDINGS = {
    "PCI-10.4.1": 1,  # D(12) has no log review ...
    "PCI-10.4.1.1": 1,  # ... so no automated one either ...
    "PCI-10.7.2": 1,  # ... and no control-failure record covers it
    "GDPR-7.3": 1,  # one marketing use after the consent was withdrawn
    "GDPR-15": 1,  # the late access request of GDPR-12.3
}


@pytest.fixture
def demo(backend: Backend, tmp_path: Path) -> tuple[AuditResult, dict[str, Path], Path]:
    result, paths = demo_report(backend.url, MONTH, events=EVENTS, out_dir=tmp_path)
    return result, paths, tmp_path


def test_catalog_findings_waivers_and_trend(
    demo: tuple[AuditResult, dict[str, Path], Path],
) -> None:
    result, paths, folder = demo
    found = {c.control_id: c for c in result.controls}

    for control, count in CATALOG_FINDINGS.items():
        assert (found[control].status, found[control].finding_count) == (
            Status.FAIL,
            count,
        )
    assert found["PCI-10.4.1"].finding_keys == ("2026-11-13",)
    assert found["GDPR-7.3"].finding_keys == ("marketing",)
    assert not [
        c for c in result.controls if c.status in (Status.ERROR, Status.NO_DATA)
    ]

    # The self-approved grant is waived as one finding: PCI-7.2.3 (high, 3) counts as
    # passing with waivers; of the dormant accounts one is waived, so PCI-8.2.6 fails.
    pci = next(s for s in result.frameworks if s.framework == "pci-dss")
    assert found["PCI-7.2.3"].waived and found["PCI-7.2.3"].waivers == ("W-DEMO-1",)
    assert (found["PCI-8.2.6"].waived, found["PCI-8.2.6"].waived_findings) == (False, 1)
    assert pci.passed_weight_with_waivers == pci.passed_weight + 3
    assert pci.score_with_waivers == round(
        100 * (pci.passed_weight + 3) / pci.assessed_weight, 1
    )
    states = {w.waiver_id: w.state for w in result.waivers}
    assert states == {"W-DEMO-1": "active", "W-DEMO-2": "active", "W-DEMO-3": "expired"}

    # Attestations: ten valid, one expired (PCI-ATT-12.10.2) and flagged.
    assert found["PCI-ATT-POLICIES"].status is Status.PASS
    assert found["PCI-ATT-12.10.2"].status is Status.MANUAL
    assert sum(a.state == "valid" for a in result.attestations) == 10

    # Twelve months: eleven audited by the demo and this one.
    assert len(list((folder / "history").glob("*.json"))) == 12
    assert result.trend is not None and result.trend.previous_period == "2026-10"
    assert len({p.period for p in result.score_history}) == 12
    new = {c.finding_id for c in result.trend.of("new")}
    assert {
        "PCI-10.4.1:2026-11-13",
        "GDPR-7.3:marketing",
        "GDPR-5.1.f:203.0.113.66",
    } <= new

    html = paths["html"].read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    for heading in (
        "Scores with and without waivers",
        "Findings since the previous month",
        "Scores over the last twelve months",
        "One query, several frameworks",
        "This run's own record",
        "Attestations still asked for",
    ):
        assert heading in text, heading
    assert "expired: ignored" in text and "expired: not assessed" in text
    assert "Compared with 2026-10:" in text
    assert "<svg" in html and "over the last 12 months" in html
