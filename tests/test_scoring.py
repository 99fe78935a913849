"""The scoring model and the rule types, on small hand-made inputs."""

from __future__ import annotations

import pandas as pd
import pytest

from nexus_audit.checklists import Control, Framework, Rule
from nexus_audit.results import ControlResult, Status
from nexus_audit.rules import apply_rule, flags
from nexus_audit.score_model import family_of, framework_score, with_gains

from .scenario import PERIOD


def result(cid: str, status: Status, severity: str, family: str = "8") -> ControlResult:
    weight = {"low": 1, "medium": 2, "high": 3, "critical": 5}[severity]
    return ControlResult(
        control_id=cid,
        framework="pci-dss",
        requirement="8.1",
        title=cid,
        description="",
        section="access_control",
        severity=severity,
        kind="data",
        status=status,
        reason="",
        family=family,
        weight=weight,
        waived=cid.endswith("-W"),
    )


FRAMEWORK = Framework(
    id="pci-dss", name="PCI DSS", version="4.0.1", source="s", controls=()
)


def test_weights_waivers_families_and_gains() -> None:
    results = [
        result("A", Status.PASS, "critical", "3"),  # 5
        result("B", Status.FAIL, "high", "8"),  # 3
        result("C-W", Status.FAIL, "medium", "8"),  # 2, waived
        result("D", Status.NO_DATA, "critical", "8"),
        result("E", Status.MANUAL, "high", "12"),
        result("F", Status.NOT_APPLICABLE, "low", "3"),
    ]
    score = framework_score(FRAMEWORK, results)

    assert (score.passed_weight, score.assessed_weight) == (5, 10)
    assert score.score == 50.0
    assert score.score_with_waivers == 70.0  # (5 + 2) / 10
    assert score.counts["no_data"] == 1 and score.counts["manual"] == 1
    families = {f.family: f for f in score.families}
    assert [f.family for f in score.families] == ["3", "8", "12"]
    assert families["3"].score == 100.0
    assert families["8"].score == 0.0 and families["8"].score_with_waivers == 40.0
    assert families["12"].score is None
    assert families["3"].title.startswith("Requirement 3")

    gains = {r.control_id: r.gain for r in with_gains(results, score)}
    assert gains == {"A": None, "B": 30.0, "C-W": 20.0, "D": None, "E": None, "F": None}


@pytest.mark.parametrize(
    ("framework", "requirement", "reference", "family"),
    [
        ("pci-dss", "10.2.1.4", "10.2.1.4", "10"),
        ("pci-dss", "12.10 / 12.10.1", "12.10 (heading)", "12"),
        ("gdpr", "Art. 5(1)(c)", "5(1)(c)", "II"),
        ("gdpr", "Art. 17", "17", "III"),
        ("gdpr", "Art. 33(1)", "33(1)", "IV"),
        ("gdpr", "Art. 44-49", "44–49", "V"),
    ],
)
def test_families(
    framework: str, requirement: str, reference: str, family: str
) -> None:
    control = Control(
        id="X-1",
        requirement=requirement,
        title="t",
        description="d",
        section="privacy",
        severity="low",
        kind="manual",
        evidence_expected="e",
        remediation="r",
        reference=reference,
    )
    assert family_of(framework, control) == family


def frame(**columns: list[object]) -> pd.DataFrame:
    return pd.DataFrame(columns)


def test_count_rule() -> None:
    rule = Rule(type="count", query="q", column="bad", population="all", key=("kind",))
    data = frame(kind=["a", "b", "c"], bad=[0, 2, 1], all=[5, 5, 0])

    judged = apply_rule(rule, data, PERIOD)
    assert (judged.status, judged.findings, judged.keys) == (Status.FAIL, 3, ("b", "c"))

    empty = apply_rule(rule, frame(kind=["a"], bad=[0], all=[0]), PERIOD)
    assert (empty.status, empty.findings) == (Status.NO_DATA, None)

    na = Rule(
        type="count",
        query="q",
        column="bad",
        population="all",
        if_empty="not_applicable",
    )
    assert (
        apply_rule(na, frame(bad=[0], all=[0]), PERIOD).status is Status.NOT_APPLICABLE
    )
    whole = Rule(type="count", query="q", column="bad", population="all")
    assert apply_rule(whole, frame(bad=[1], all=[4]), PERIOD).keys == ("",)


def test_where_filters_and_if_empty() -> None:
    data = frame(
        request_id=[1, 2, 3],
        request_type=["access", "erase", "access"],
        late=[True, True, False],
    )
    access = Rule(
        type="no_flagged", query="q", column="late", where={"request_type": "access"}
    )
    judged = apply_rule(access, data, PERIOD)
    assert (judged.status, judged.findings, judged.keys) == (Status.FAIL, 1, ("1",))

    portability = Rule(
        type="no_flagged",
        query="q",
        column="late",
        where={"request_type": "portability"},
    )
    assert apply_rule(portability, data, PERIOD).status is Status.NOT_APPLICABLE

    register = Rule(type="no_flagged", query="q", column="late", if_empty="fail")
    failed = apply_rule(register, data.head(0), PERIOD)
    assert (failed.status, failed.findings) == (Status.FAIL, 1)

    by_flag = Rule(type="no_rows", query="q", where={"late": False})
    assert apply_rule(by_flag, data, PERIOD).keys == ("3",)


def test_flags_of_each_kind() -> None:
    assert flags(pd.Series([True, False, None], dtype="boolean")).tolist() == [
        True,
        False,
        False,
    ]
    assert flags(pd.Series([0, 3, None], dtype="Int64")).tolist() == [
        False,
        True,
        False,
    ]
    assert flags(pd.Series(["x", "", None], dtype="string")).tolist() == [
        True,
        False,
        False,
    ]
