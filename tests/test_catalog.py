"""The shipped catalog against the controls reference, and the `controls` command.

The rows are counted in ``/work/shared/reference/controls.md`` itself: every row of its
requirement tables in sections 1 and 2 must exist as a data control (coverage code
copied), every row of section 3 as a manual control, and the numbers the reference
sets must be the queries' defaults.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from nexus_audit.checklists import load_framework, load_frameworks
from nexus_audit.cli import main
from nexus_audit.errors import ChecklistError
from nexus_audit.queries import load_queries

from .conftest import SHARED

REFERENCE = SHARED / "reference" / "controls.md"

# The reference lives beside the repository, not in it: without it, the tests that count
# its rows are skipped (as the real-log tests are), the rest of the catalog still runs.
needs_reference = pytest.mark.skipif(
    not REFERENCE.is_file(),
    reason=f"the controls reference is not there ({REFERENCE}, i.e. "
    "../shared/reference/controls.md beside the repository); these tests count its rows",
)


def reference_rows() -> dict[str, list[tuple[str, str | None]]]:
    """(key, coverage) of every table row, per part: pci, gdpr, pci-manual, gdpr-manual."""
    parts: dict[str, list[tuple[str, str | None]]] = {
        "pci": [],
        "gdpr": [],
        "pci-manual": [],
        "gdpr-manual": [],
    }
    part: str | None = None
    header: list[str] = []

    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        if line.startswith("## ") or line.startswith("### "):
            part = _part(line)
            header = []
            continue
        if part is None or not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not header:
            header = cells
            continue
        if set(cells[0]) <= {"-", ":"}:
            continue
        coverage = cells[header.index("Cov")] if "Cov" in header else None
        parts[part].append((cells[0], coverage))

    return parts


def _part(heading: str) -> str | None:
    if re.match(r"### 1\.[1-6] ", heading):
        return "pci"
    if heading.startswith("## 2. "):
        return "gdpr"
    if heading.startswith("### 3.1 "):
        return "pci-manual"
    if heading.startswith("### 3.2 "):
        return "gdpr-manual"
    return None


@pytest.fixture(scope="module")
def catalog() -> dict[str, object]:
    frameworks = load_frameworks(["pci-dss", "gdpr"], load_queries())
    return {framework.id: framework for framework in frameworks}


@needs_reference
def test_the_reference_has_the_rows_it_announces() -> None:
    rows = reference_rows()

    assert {part: len(found) for part, found in rows.items()} == {
        "pci": 62,
        "gdpr": 34,
        "pci-manual": 24,
        "gdpr-manual": 14,
    }
    assert sum(cov == "D" for _, cov in rows["pci"]) == 15
    assert sum(cov == "D" for _, cov in rows["gdpr"]) == 12


@needs_reference
@pytest.mark.parametrize(
    ("part", "framework", "kind"),
    [
        ("pci", "pci-dss", "data"),
        ("gdpr", "gdpr", "data"),
        ("pci-manual", "pci-dss", "manual"),
        ("gdpr-manual", "gdpr", "manual"),
    ],
)
def test_every_reference_row_is_a_control(
    catalog: dict[str, object], part: str, framework: str, kind: str
) -> None:
    controls = [c for c in catalog[framework].controls if c.kind == kind]  # type: ignore[attr-defined]
    by_row: dict[str, list[object]] = {}
    for control in controls:
        if control.reference is not None:
            by_row.setdefault(control.reference, []).append(control)

    rows = reference_rows()[part]
    assert sorted(by_row) == sorted(key for key, _ in rows)

    for key, coverage in rows:
        for control in by_row[key]:
            assert control.coverage == coverage, control.id  # type: ignore[attr-defined]


def test_every_control_says_what_to_do(catalog: dict[str, object]) -> None:
    for framework in catalog.values():
        for control in framework.controls:  # type: ignore[attr-defined]
            assert control.remediation.strip(), control.id
            if control.coverage == "P":
                assert control.attestation, control.id
            if control.kind == "manual":
                assert control.evidence_expected, control.id


def test_versions(catalog: dict[str, object]) -> None:
    assert catalog["pci-dss"].version == "4.0.1"  # type: ignore[attr-defined]
    assert "2016/679" in catalog["gdpr"].version  # type: ignore[attr-defined]


# The numbers of section 0.1 of the reference, as the queries' defaults.
NUMBERS = [
    ("compromised_account_candidates", "max_attempts", 10),
    ("dormant_accounts", "max_inactive_days", 90),
    ("session_controls", "max_idle_minutes", 15),
    ("password_policy_settings", "min_length", 12),
    ("password_policy_settings", "min_history", 4),
    ("single_factor_password_age", "max_age_days", 90),
    ("customer_password_age", "max_age_days", 90),
    ("access_review_status", "max_months", 6),
    ("log_retention", "retention_months", 12),
    ("log_retention", "immediate_months", 3),
    ("retention_compliance", "max_run_gap_months", 3),
    ("ir_exercise_status", "max_months", 12),
    ("risk_analysis_status", "max_months", 12),
    ("dsr_deadlines", "response_months", 1),
    ("dsr_deadlines", "extension_months", 2),
    ("dsr_refusals", "response_months", 1),
    ("breach_notifications", "notify_hours", 72),
    ("child_consents", "consent_age", 16),
]


@pytest.mark.parametrize(("query", "parameter", "value"), NUMBERS)
def test_the_reference_numbers_are_the_defaults(
    query: str, parameter: str, value: int
) -> None:
    params = {p.name: p.default for p in load_queries()[query].params}
    assert params[parameter] == value


def test_controls_command_lists_the_catalog_as_json() -> None:
    outcome = CliRunner().invoke(main, ["controls", "--json"])
    assert outcome.exit_code == 0, outcome.output
    rows = json.loads(outcome.output)

    assert {row["framework"] for row in rows} == {"gdpr", "pci-dss"}
    assert all({"id", "framework", "requirement", "kind"} <= row.keys() for row in rows)
    assert {row["kind"] for row in rows} == {"data", "manual"}
    manual = [r for r in rows if r["framework"] == "pci-dss" and r["kind"] == "manual"]
    assert len(manual) == 24

    only = CliRunner().invoke(main, ["controls", "--framework", "gdpr", "--json"])
    assert {row["framework"] for row in json.loads(only.output)} == {"gdpr"}

    table = CliRunner().invoke(main, ["controls", "--framework", "pci-dss"])
    assert "PCI-8.2.5" in table.output


CUSTOM = """id = "soc2-subset"
name = "SOC 2 (subset)"
version = "2017 TSC, 2022 points of focus"
source = "internal mapping"

[[controls]]
id = "SOC2-CC6.2"
requirement = "CC6.2"
title = "Access of leavers is removed"
description = "Reuses the PCI DSS 8.2.5 query."
section = "access_control"
severity = "high"
kind = "data"
rule = { type = "no_rows", query = "terminated_access" }
remediation = "Disable leavers' accounts."
"""


def test_custom_framework_reuses_the_queries(tmp_path: Path) -> None:
    path = tmp_path / "soc2.toml"
    path.write_text(CUSTOM, encoding="utf-8")

    framework = load_framework(path, load_queries())
    assert framework.controls[0].query_names() == ("terminated_access",)

    outcome = CliRunner().invoke(main, ["controls", "--framework", str(path), "--json"])
    assert json.loads(outcome.output)[0]["framework"] == "soc2-subset"


@pytest.mark.parametrize(
    ("old", "new", "line", "expected"),
    [
        ('section = "access_control"', 'section = "hr"', 11, "field section"),
        ('query = "terminated_access"', 'query = "no_such_query"', 14, "unknown quer"),
        (
            'rule = { type = "no_rows", query = "terminated_access" }',
            'rule = { type = "no_flagged", query = "terminated_access", column = "x" }',
            14,
            "column(s) ['x']",
        ),
        ('severity = "high"\n', "", 6, "field severity: Field required"),
        ('version = "2017 TSC, 2022 points of focus"\n', "", 1, "field version"),
    ],
)
def test_custom_framework_errors_name_file_line_and_field(
    tmp_path: Path, old: str, new: str, line: int, expected: str
) -> None:
    path = tmp_path / "soc2.toml"
    path.write_text(CUSTOM.replace(old, new), encoding="utf-8")

    with pytest.raises(ChecklistError) as caught:
        load_framework(path, load_queries())

    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: ")
    assert expected in message
    if line > 1:
        assert "SOC2-CC6.2" in message
