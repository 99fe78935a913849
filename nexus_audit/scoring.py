"""Decide each control's status from its query's rows, and score each framework.

This is the only place a status is decided, so "no rows", "table missing" and "query
failed" cannot drift into a pass elsewhere. The order of the checks matters: an error
or a missing table is reported before any rule is looked at, and a period that holds no
activity at all reads "no data", never "pass".

After the data come the people: an attestation on file decides a manual control (or
fails a partial one), an expired attestation leaves it not assessed, and active waivers
mark failing controls whose every finding is excepted. The numbers themselves (weights,
families, points to gain) are in :mod:`score_model`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from .attestations import Attestation
from .checklists import Control, Framework, Rule
from .checklists.models import SEVERITY_WEIGHT
from .period import Period
from .results import ControlResult, FrameworkScore, Status
from .rules import Judgement, apply_rule
from .runner import NOT_RUN, Outcome
from .score_model import family_of, framework_score, with_gains
from .waivers import Waiver

Verdict = tuple[Status, str, int | None]

__all__ = ["Verdict", "apply_rule", "framework_score", "judge", "score_framework"]


def score_framework(
    framework: Framework,
    outcomes: Mapping[str, Outcome],
    activity: Mapping[str, int] | None,
    period: Period,
    *,
    attestations: Mapping[str, Attestation] | None = None,
    waivers: Sequence[Waiver] = (),
) -> tuple[list[ControlResult], FrameworkScore]:
    """Statuses of every control of ``framework`` and the framework's score."""
    attested = attestations or {}
    active = [w for w in waivers if w.state(period) == "active"]
    results = []

    for control in framework.controls:
        judgement = judgement_of(control, outcomes, activity, period)
        judgement = _attested(control, judgement, attested.get(control.id), period)
        results.append(_result(framework, control, judgement, active, period))

    score = framework_score(framework, results)
    return with_gains(results, score), score


def judge(
    control: Control,
    outcomes: Mapping[str, Outcome],
    activity: Mapping[str, int] | None,
    period: Period,
) -> Verdict:
    """The status of one control, the reason for it and its number of findings."""
    judgement = judgement_of(control, outcomes, activity, period)
    return judgement.status, judgement.reason, judgement.findings


def judgement_of(
    control: Control,
    outcomes: Mapping[str, Outcome],
    activity: Mapping[str, int] | None,
    period: Period,
) -> Judgement:
    """The status of one control from the data alone, with its finding keys."""
    if control.rule is None:
        return Judgement(
            Status.MANUAL, f"Attestation required: {control.evidence_expected}", None
        )

    blocked = _blocked(control, control.rule, outcomes, activity, period)
    if blocked is not None:
        return blocked

    outcome = outcomes[control.rule.query]
    judgement = apply_rule(control.rule, outcome.frame, period)
    if judgement.status in (Status.PASS, Status.FAIL):
        reason = f"Application layer: {judgement.status.value}. {judgement.reason}"
        judgement = replace(judgement, reason=reason)

    return judgement


def _blocked(
    control: Control,
    rule: Rule,
    outcomes: Mapping[str, Outcome],
    activity: Mapping[str, int] | None,
    period: Period,
) -> Judgement | None:
    """Error, missing table or no activity: the reasons a rule is never applied."""
    outcome = outcomes[rule.query]
    if outcome.status == "error":
        return Judgement(
            Status.ERROR, f"Query {outcome.query.name} failed: {outcome.error}.", None
        )
    if outcome.status in NOT_RUN:
        return Judgement(
            Status.NO_DATA, f"No data: {outcome.error}, so this cannot be judged.", None
        )

    if activity is not None and not any(activity.values()):
        return Judgement(
            Status.NO_DATA,
            "No data: the database holds no audit events or login attempts for "
            f"{period.label}, so the period is not covered.",
            None,
        )
    if activity is not None and control.population and not activity[control.population]:
        return Judgement(
            Status.NO_DATA,
            f"No data: no {control.population.replace('_', ' ')} recorded in "
            f"{period.label}.",
            None,
        )

    return None


def _attested(
    control: Control,
    judgement: Judgement,
    attestation: Attestation | None,
    period: Period,
) -> Judgement:
    """Fold the attestation on file (if any) into a manual or partial control."""
    ask = control.evidence_expected if control.kind == "manual" else control.attestation
    if attestation is None:
        if control.kind == "data" and control.coverage == "P" and ask:
            return _append(judgement, f"Attestation also required: {ask}")
        return judgement

    who = (
        f"{attestation.attested_by} on {attestation.attested_at.isoformat()} "
        f"(evidence: {attestation.evidence}; valid until "
        f"{attestation.valid_until.isoformat()})"
    )
    if attestation.state(period) != "valid":
        note = f"The attestation by {who} has expired: not assessed. Attestation required: {ask}"
        if control.kind == "manual":
            return Judgement(Status.MANUAL, note, None)
        return _append(judgement, note)

    if control.kind == "manual":
        status = Status(attestation.result)
        keys = ("",) if status is Status.FAIL else ()
        return Judgement(status, f"Attested {attestation.result} by {who}.", None, keys)

    if attestation.result == "fail" and judgement.status is Status.PASS:
        return Judgement(
            Status.FAIL,
            f"{judgement.reason} Attested fail by {who}: the part the data cannot "
            "show is not in place.",
            max(judgement.findings or 0, 1),
            ("",),
        )

    return _append(judgement, f"Attested {attestation.result} by {who}.")


def _append(judgement: Judgement, sentence: str) -> Judgement:
    return replace(judgement, reason=f"{judgement.reason} {sentence}")


def _result(
    framework: Framework,
    control: Control,
    judgement: Judgement,
    waivers: Sequence[Waiver],
    period: Period,
) -> ControlResult:
    waived, applied, count = _waived(control.id, judgement, waivers)

    return ControlResult(
        control_id=control.id,
        framework=framework.id,
        requirement=control.requirement,
        title=control.title,
        description=control.description,
        section=control.section,
        severity=control.severity,
        kind=control.kind,
        status=judgement.status,
        reason=judgement.reason,
        queries=control.query_names(),
        finding_count=judgement.findings,
        evidence_expected=control.evidence_expected,
        remediation=control.remediation,
        reference=control.reference,
        coverage=control.coverage,
        attestation_request=(
            control.attestation if control.kind == "data" else control.evidence_expected
        ),
        family=family_of(framework.id, control),
        weight=SEVERITY_WEIGHT[control.severity],
        finding_keys=judgement.keys,
        waived=waived,
        waivers=applied,
        waived_findings=count,
    )


def _waived(
    control_id: str, judgement: Judgement, waivers: Sequence[Waiver]
) -> tuple[bool, tuple[str, ...], int]:
    """Whether every finding is waived, the waivers used, and the findings waived."""
    if judgement.status is not Status.FAIL:
        return False, (), 0

    mine = [w for w in waivers if w.control == control_id]
    whole = [w.id for w in mine if w.finding is None]
    if whole:
        return True, tuple(whole), judgement.findings or 0

    used: list[str] = []
    covered = 0
    for key in judgement.keys:
        match = next((w for w in mine if w.covers(control_id, key)), None)
        if match is not None:
            covered += 1
            used.append(match.id)

    total = judgement.findings or 0
    complete = covered > 0 and covered >= total and len(judgement.keys) >= total
    return complete, tuple(dict.fromkeys(used)), covered
