"""Waiver files: checks, states, and the score with and without waivers.

On the February scenario PCI-8.2.6 (high, 3) fails with four dormant accounts, user ids
2, 3, 8 and 10 (``scenario.py``), and PCI-8.4.1 (critical, 5) with bob and erin.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from nexus_audit import Status, run_audit
from nexus_audit.checklists import load_frameworks
from nexus_audit.config import Settings
from nexus_audit.errors import ConfigError
from nexus_audit.period import Period
from nexus_audit.waivers import Waiver, load_waivers

from .conftest import Backend
from .scenario import PERIOD, february
from .test_audit import EXPECTED
from .test_catalog_scenario import CATALOG_EXPECTED, expected_weights

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def waiver(control: str, finding: str | None = None, **values: object) -> str:
    fields = {
        "id": f"W-{control}-{finding}",
        "control": control,
        "justification": "accepted risk",
        "requested_by": "Platform team",
        "approved_by": "CISO",
        "approved_at": "2026-01-10",
        "expires": "2026-06-30",
    }
    if finding is not None:
        fields["finding"] = finding
    fields.update({k: str(v) for k, v in values.items()})
    lines = ["[[waivers]]"]
    for key, value in fields.items():
        dated = key in ("approved_at", "expires") and value[:1].isdigit()
        lines.append(f"{key} = {value}" if dated else f'{key} = "{value}"')
    return "\n".join(lines) + "\n\n"


def known() -> list[str]:
    return [c.id for f in load_frameworks(["pci-dss", "gdpr"]) for c in f.controls]


def test_the_example_file_loads() -> None:
    entries = load_waivers(EXAMPLES / "waivers.toml", known())
    november = Period.month(2026, 11)

    assert [(w.id, w.state(november)) for w in entries] == [
        ("W-DEMO-1", "active"),
        ("W-DEMO-2", "active"),
        ("W-DEMO-3", "expired"),
    ]


def test_states() -> None:
    base = {
        "id": "W-1",
        "control": "PCI-8.4.1",
        "justification": "j",
        "requested_by": "Ann",
        "approved_by": "Bo",
        "expires": date(2026, 2, 28),
    }
    assert Waiver(**base).state(Period.month(2026, 2)) == "active"
    assert Waiver(**base).state(Period.month(2026, 3)) == "expired"
    assert Waiver(**{**base, "approved_by": " ann "}).state(PERIOD) == "invalid"
    assert Waiver(**base).covers("PCI-8.4.1", "7")
    assert not Waiver(**{**base, "finding": "5"}).covers("PCI-8.4.1", "7")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            waiver("PCI-8.4.1") + waiver("PCI-8.4.1"),
            ":11: waiver W-PCI-8.4.1-None: field id: used twice",
        ),
        (waiver("PCI-0.0"), ":3: waiver W-PCI-0.0-None: field control:"),
        (waiver("PCI-8.4.1", expires="2025-01-01"), ":1: waiver W-PCI-8.4.1-None: "),
        (
            waiver("PCI-8.4.1").replace('approved_by = "CISO"\n', ""),
            "field approved_by: Field required",
        ),
    ],
)
def test_errors_name_file_line_and_field(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "waivers.toml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(ConfigError) as caught:
        load_waivers(path, known())

    assert str(caught.value).startswith(f"{path}:")
    assert expected in str(caught.value)


def test_scores_with_and_without_waivers(backend: Backend, tmp_path: Path) -> None:
    path = tmp_path / "waivers.toml"
    path.write_text(
        # Every dormant account of PCI-8.2.6 one by one: the control is waived.
        "".join(waiver("PCI-8.2.6", key) for key in ("2", "3", "8", "10"))
        # One of GDPR-32.1.b-B's four: still failing, one finding waived.
        + waiver("GDPR-32.1.b-B", "2")
        # The whole of PCI-8.4.1, but approved by its requester: ignored.
        + waiver("PCI-8.4.1", approved_by="Platform team")
        # The whole of PCI-7.2.3, expired before the period ended: ignored.
        + waiver("PCI-7.2.3", expires="2026-02-27"),
        encoding="utf-8",
    )
    february().write(backend.url)

    result = run_audit(backend.url, PERIOD, settings=Settings(waivers_file=path))
    found = {c.control_id: c for c in result.controls}

    assert found["PCI-8.2.6"].status is Status.FAIL  # the raw status stays
    assert found["PCI-8.2.6"].waived and found["PCI-8.2.6"].waived_findings == 4
    assert not found["GDPR-32.1.b-B"].waived
    assert found["GDPR-32.1.b-B"].waived_findings == 1
    assert not found["PCI-8.4.1"].waived and not found["PCI-7.2.3"].waived

    weights = expected_weights({**EXPECTED, **CATALOG_EXPECTED})
    scores = {s.framework: s for s in result.frameworks}
    passed, assessed = weights["pci-dss"]
    assert scores["pci-dss"].score == round(100 * passed / assessed, 1)
    assert scores["pci-dss"].score_with_waivers == round(
        100 * (passed + 3) / assessed, 1
    )
    assert scores["pci-dss"].waived_controls == 1
    passed, assessed = weights["gdpr"]
    assert scores["gdpr"].score_with_waivers == round(100 * passed / assessed, 1)

    states = {w.waiver_id: (w.state, w.applied) for w in result.waivers}
    assert states["W-PCI-8.2.6-2"] == ("active", True)
    assert states["W-PCI-8.4.1-None"] == ("invalid", False)
    assert states["W-PCI-7.2.3-None"] == ("expired", False)
    assert any("W-PCI-7.2.3-None" in warning for warning in result.warnings)
