"""Decide each control's status from its query's rows, and score each framework.

This is the only place a status is decided, so "no rows", "table missing" and "query
failed" cannot drift into a pass elsewhere. The order of the checks matters: an error
or a missing table is reported before any rule is looked at, and a period that holds no
activity at all reads "no data", never "pass".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import pandas as pd

from .checklists import Control, Framework, Rule
from .checklists.models import SEVERITY_WEIGHT
from .period import Period
from .results import ControlResult, FrameworkScore, Status
from .runner import Outcome

Verdict = tuple[Status, str, int | None]


def score_framework(
    framework: Framework,
    outcomes: Mapping[str, Outcome],
    activity: Mapping[str, int] | None,
    period: Period,
) -> tuple[list[ControlResult], FrameworkScore]:
    """Statuses of every control of ``framework`` and the framework's score."""
    results = [
        _result(framework, control, judge(control, outcomes, activity, period))
        for control in framework.controls
    ]

    return results, framework_score(framework, results)


def judge(
    control: Control,
    outcomes: Mapping[str, Outcome],
    activity: Mapping[str, int] | None,
    period: Period,
) -> Verdict:
    """The status of one control, the reason for it and its number of findings."""
    if control.rule is None:
        return Status.MANUAL, f"Attestation required: {control.evidence_expected}", None

    outcome = outcomes[control.rule.query]
    if outcome.status == "error":
        return (
            Status.ERROR,
            f"Query {outcome.query.name} failed: {outcome.error}.",
            None,
        )
    if outcome.status == "missing_table":
        return (
            Status.NO_DATA,
            f"No data: {outcome.error}, so this cannot be judged.",
            None,
        )

    if activity is not None and not any(activity.values()):
        return (
            Status.NO_DATA,
            "No data: the database holds no audit events or login attempts for "
            f"{period.label}, so the period is not covered.",
            None,
        )
    if activity is not None and control.population and not activity[control.population]:
        return (
            Status.NO_DATA,
            f"No data: no {control.population.replace('_', ' ')} recorded in "
            f"{period.label}.",
            None,
        )

    return apply_rule(control.rule, outcome.frame, period)


def apply_rule(rule: Rule, frame: pd.DataFrame, period: Period) -> Verdict:
    """Apply a rule to a query's rows."""
    if rule.type == "no_rows":
        if frame.empty:
            return Status.PASS, f"{rule.query} returned no rows.", 0
        return Status.FAIL, f"{rule.query} returned {len(frame)} row(s).", len(frame)

    assert rule.column is not None
    if rule.type == "no_flagged":
        return _no_flagged(rule, frame)
    if rule.type == "every_day":
        return _every_day(rule, frame, period)

    return _all_true(rule, frame)


def framework_score(
    framework: Framework, results: list[ControlResult]
) -> FrameworkScore:
    """Severity-weighted share of assessed (pass or fail) controls that pass."""
    counts = Counter(result.status.value for result in results)
    weights = {
        result.control_id: SEVERITY_WEIGHT[result.severity] for result in results
    }

    assessed = [r for r in results if r.status in (Status.PASS, Status.FAIL)]
    assessed_weight = sum(weights[r.control_id] for r in assessed)
    passed_weight = sum(
        weights[r.control_id] for r in assessed if r.status is Status.PASS
    )
    score = round(100 * passed_weight / assessed_weight, 1) if assessed_weight else None

    return FrameworkScore(
        framework=framework.id,
        name=framework.name,
        version=framework.version,
        score=score,
        counts={status.value: counts.get(status.value, 0) for status in Status},
        assessed_weight=assessed_weight,
        passed_weight=passed_weight,
        is_complete=counts.get(Status.ERROR.value, 0) == 0,
    )


def _no_flagged(rule: Rule, frame: pd.DataFrame) -> Verdict:
    assert rule.column is not None
    if frame.empty:
        return (
            Status.NOT_APPLICABLE,
            f"{rule.query} found nothing due in the period.",
            0,
        )

    flagged = int(_flags(frame[rule.column]).sum())
    if flagged:
        return (
            Status.FAIL,
            f"{flagged} of {len(frame)} row(s) of {rule.query} are flagged.",
            flagged,
        )

    return (
        Status.PASS,
        f"None of the {len(frame)} row(s) of {rule.query} is flagged.",
        0,
    )


def _every_day(rule: Rule, frame: pd.DataFrame, period: Period) -> Verdict:
    assert rule.column is not None
    seen = {stamp.date() for stamp in pd.to_datetime(frame[rule.column]).dropna()}
    missing = [day for day in period.days if day not in seen]

    if not missing:
        return Status.PASS, f"Events recorded on all {len(period.days)} days.", 0

    shown = ", ".join(day.isoformat() for day in missing[:10])
    more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
    return (
        Status.FAIL,
        f"No events on {len(missing)} day(s): {shown}{more}.",
        len(missing),
    )


def _all_true(rule: Rule, frame: pd.DataFrame) -> Verdict:
    assert rule.column is not None
    values = frame[rule.column]

    if len(values) == 1 and bool(values.fillna(False).iloc[0]):
        return Status.PASS, f"{rule.query}: {rule.column} holds.", 0

    return Status.FAIL, f"{rule.query}: {rule.column} does not hold.", 1


def _flags(values: pd.Series) -> pd.Series:
    """True where a row is flagged: a true boolean, or any non-empty value."""
    if pd.api.types.is_bool_dtype(values):
        return values.fillna(False).astype(bool)
    return values.notna() & (values.astype("string").str.len() > 0)


def _result(framework: Framework, control: Control, verdict: Verdict) -> ControlResult:
    status, reason, findings = verdict

    return ControlResult(
        control_id=control.id,
        framework=framework.id,
        requirement=control.requirement,
        title=control.title,
        description=control.description,
        section=control.section,
        severity=control.severity,
        kind=control.kind,
        status=status,
        reason=reason,
        queries=control.query_names(),
        finding_count=findings,
        evidence_expected=control.evidence_expected,
        remediation=control.remediation,
    )
