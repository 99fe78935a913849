"""JSON, controls CSV, JUnit XML and OSCAL outputs, each checked by an outside reader."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from junitparser import Error, Failure, JUnitXml, Skipped
from trestle.oscal.assessment_results import AssessmentResults

from nexus_audit import AuditResult, Status, run_audit
from nexus_audit.config import Settings
from nexus_audit.outputs import (
    controls_csv,
    json_schema,
    junit_xml,
    oscal_assessment_results,
    result_json,
    write_outputs,
)

from .conftest import Backend
from .scenario import PERIOD, february
from .test_audit import EXPECTED

SCHEMA_FILE = (
    Path(__file__).resolve().parents[1]
    / "nexus_audit"
    / "outputs"
    / "audit-result.schema.json"
)


@pytest.fixture
def result(backend: Backend) -> AuditResult:
    february().write(backend.url)
    return run_audit(backend.url, PERIOD, settings=Settings())


def test_published_schema_is_current() -> None:
    published = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert published == json_schema(), "run scripts/json-schema and commit the file"


def test_json_validates_and_round_trips(result: AuditResult) -> None:
    document = json.loads(result_json(result))

    jsonschema.validate(document, json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    assert document["schema_version"] == "1.0"
    statuses = {c["control_id"]: c["status"] for c in document["controls"]}
    assert statuses["PCI-8.2.6"] == "fail" and statuses["GDPR-5.2"] == "pass"
    assert (
        AuditResult.model_validate(
            {
                k: v
                for k, v in document.items()
                if k not in ("$schema", "schema_version", "is_complete")
            }
        ).controls
        == result.controls
    )


def test_junit_counts_match_the_statuses(result: AuditResult) -> None:
    xml = JUnitXml.fromstring(junit_xml(result).encode("utf-8"))
    cases = [case for suite in xml for case in suite]
    outcomes = [type(r) for case in cases for r in case.result]

    statuses = [control.status for control in result.controls]
    assert len(cases) == len(result.controls)
    assert outcomes.count(Failure) == statuses.count(Status.FAIL)
    assert outcomes.count(Error) == statuses.count(Status.ERROR) == 0
    judged = statuses.count(Status.FAIL) + statuses.count(Status.PASS)
    assert outcomes.count(Skipped) == len(result.controls) - judged
    for control_id, (status, _) in EXPECTED.items():
        case = next(c for c in cases if c.name.startswith(control_id + " "))
        assert bool(case.result) is (status is not Status.PASS), control_id


def test_oscal_validates_with_trestle(result: AuditResult) -> None:
    document = json.loads(oscal_assessment_results(result))
    model = AssessmentResults.model_validate(document["assessment-results"])

    findings = model.results[0].findings or []
    states = {f.target.target_id: f.target.status.state.value for f in findings}
    assert states["PCI-8.2.6"] == "not-satisfied"
    assert states["PCI-10.5.1"] == "satisfied"
    assert len(model.results[0].observations or []) == len(result.controls)
    assert oscal_assessment_results(result) == oscal_assessment_results(result)


def test_controls_csv_and_write_outputs(result: AuditResult, tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(controls_csv(result))))
    assert len(rows) == len(result.controls)
    assert {r["control_id"]: r["finding_count"] for r in rows}["PCI-8.2.6"] == "4"

    written = write_outputs(result, tmp_path, ["json", "csv", "junit", "oscal"])
    assert sorted(p.name for p in written.values()) == [
        "controls.csv",
        "junit.xml",
        "oscal-assessment-results.json",
        "results.json",
    ]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
