"""Attestation files: checked with file, line and field; expiry; their effect on scores.

The scores are worked out from the February scenario's expected statuses
(``test_catalog_scenario``) and the severities in the checklists.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from nexus_audit import Status, run_audit
from nexus_audit.attestations import Attestation, load_attestations
from nexus_audit.checklists import load_frameworks
from nexus_audit.config import Settings
from nexus_audit.errors import ConfigError
from nexus_audit.period import Period

from .conftest import Backend
from .scenario import PERIOD, february
from .test_audit import EXPECTED
from .test_catalog_scenario import CATALOG_EXPECTED, expected_weights

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

GOOD = """[[attestations]]
control = "PCI-ATT-3.4.2"
result = "pass"
attested_by = "Dana Reyes, QSA"
attested_at = 2026-02-20
evidence = "https://dms.example/pci/vdi.pdf"
valid_until = 2026-08-31

[[attestations]]
control = "PCI-3.4.1"
result = "fail"
attested_by = "Dana Reyes, QSA"
attested_at = 2026-02-21
evidence = "sha256:0f3a"
valid_until = 2026-12-31

[[attestations]]
control = "PCI-ATT-8.3.8"
result = "pass"
attested_by = "Dana Reyes, QSA"
attested_at = 2025-01-10
evidence = "https://dms.example/pci/guidance.pdf"
valid_until = 2026-02-27
"""


def known() -> list[str]:
    return [c.id for f in load_frameworks(["pci-dss", "gdpr"]) for c in f.controls]


def test_the_example_file_loads() -> None:
    entries = load_attestations(EXAMPLES / "attestations.toml", known())

    assert len(entries) == 11
    assert {e.result for e in entries} == {"pass"}
    november = Period.month(2026, 11)
    assert [e.control for e in entries if e.state(november) == "expired"] == [
        "PCI-ATT-12.10.2"
    ]


def test_validity_covers_the_last_day_of_the_period() -> None:
    entry = Attestation(
        control="PCI-ATT-3.4.2",
        result="pass",
        attested_by="x",
        attested_at=date(2026, 1, 1),
        evidence="e",
        valid_until=date(2026, 2, 28),
    )

    assert entry.state(Period.month(2026, 2)) == "valid"
    assert entry.state(Period.month(2026, 3)) == "expired"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'result = "fail"',
            'result = "maybe"',
            ":11: attestation PCI-3.4.1: field result:",
        ),
        (
            'control = "PCI-3.4.1"',
            'control = "PCI-9.9.9"',
            ":10: attestation PCI-9.9.9: field control:",
        ),
        ("attested_at = 2026-02-21", "attested_at = 21/02/2026", "line 13"),
        (
            "valid_until = 2026-12-31",
            "valid_until = 2025-12-31",
            ":9: attestation PCI-3.4.1: ",
        ),
        (
            'evidence = "sha256:0f3a"\n',
            "",
            ":9: attestation PCI-3.4.1: field evidence: Field required",
        ),
    ],
)
def test_errors_name_file_line_and_field(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = tmp_path / "attest.toml"
    path.write_text(GOOD.replace(old, new), encoding="utf-8")

    with pytest.raises(ConfigError) as caught:
        load_attestations(path, known())

    assert str(caught.value).startswith(str(path))
    assert expected in str(caught.value)


def test_attestations_decide_manual_controls_and_count_in_the_score(
    backend: Backend, tmp_path: Path
) -> None:
    path = tmp_path / "attest.toml"
    path.write_text(GOOD, encoding="utf-8")
    february().write(backend.url)

    result = run_audit(backend.url, PERIOD, settings=Settings(attestations_file=path))
    found = {c.control_id: c for c in result.controls}

    # A valid "pass" decides the manual control; "fail" fails a passing P control.
    assert found["PCI-ATT-3.4.2"].status is Status.PASS
    assert (
        "Attested pass by Dana Reyes, QSA on 2026-02-20"
        in found["PCI-ATT-3.4.2"].reason
    )
    assert found["PCI-3.4.1"].status is Status.FAIL
    assert "Attested fail" in found["PCI-3.4.1"].reason
    # Expired on 2026-02-27, a day before the period's last day: not assessed, flagged.
    assert found["PCI-ATT-8.3.8"].status is Status.MANUAL
    assert "expired" in found["PCI-ATT-8.3.8"].reason
    assert any("PCI-ATT-8.3.8" in warning for warning in result.warnings)
    assert found["PCI-ATT-8.3.8"].attestation is not None
    assert found["PCI-ATT-8.3.8"].attestation.state == "expired"

    # PCI-ATT-3.4.2 (medium, 2) joins the assessed weight as a pass; PCI-3.4.1 (high,
    # 3) moves from pass to fail.
    passed, assessed = expected_weights({**EXPECTED, **CATALOG_EXPECTED})["pci-dss"]
    pci = next(s for s in result.frameworks if s.framework == "pci-dss")
    assert (pci.passed_weight, pci.assessed_weight) == (passed + 2 - 3, assessed + 2)
    assert result.run is not None and result.run.attestation_file == str(path)


def test_a_partial_control_without_attestation_asks_for_it(backend: Backend) -> None:
    february().write(backend.url)
    result = run_audit(backend.url, PERIOD, settings=Settings())
    control = next(c for c in result.controls if c.control_id == "PCI-3.4.1")

    assert control.coverage == "P"
    assert control.reason.startswith("Application layer: pass.")
    assert "Attestation also required: The documented list of roles" in control.reason
    assert control.attestation_request == control.reason.split("required: ")[1]
