"""The scoring model, in numbers an auditor can redo by hand.

- Each control weighs by its severity: low 1, medium 2, high 3, critical 5.
- Pass and fail are *assessed*: a framework's score is the weight of its passing
  controls divided by the weight of its assessed controls, as a percentage (one
  decimal). Manual controls count once an attestation on file decides them.
- Not applicable, no data, manual (not yet attested) and error are *not assessed*:
  they neither help nor hurt the score and are counted apart; any error marks the score
  incomplete.
- *With waivers*: a failing control whose every finding (or the control itself) is under
  an active waiver counts as passing. The score is given both ways.
- Families: the same ratio over the controls of one PCI DSS principal requirement
  (3, 4, 7, 8, 10, 12) or one GDPR chapter (II principles, III rights, IV controller and
  processor, V transfers).
- Gain: for a failing control, the points the framework score would rise by if that
  control passed and nothing else changed: ``100 (P + w) / A - 100 P / A``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from .checklists import Control, Framework
from .result_parts import FamilyScore
from .results import ControlResult, FrameworkScore, Status

_NUMBER = re.compile(r"\d+")

PCI_FAMILIES = {
    "3": "Requirement 3: protect stored account data",
    "4": "Requirement 4: protect cardholder data in transmission",
    "7": "Requirement 7: restrict access by need to know",
    "8": "Requirement 8: identify users and authenticate access",
    "10": "Requirement 10: log and monitor all access",
    "12": "Requirement 12: policies, risk analysis and incident response",
}
GDPR_CHAPTERS = (
    (5, 11, "II", "Chapter II: principles"),
    (12, 23, "III", "Chapter III: rights of the data subject"),
    (24, 43, "IV", "Chapter IV: controller and processor"),
    (44, 50, "V", "Chapter V: transfers to third countries"),
)


def family_of(framework_id: str, control: Control) -> str:
    """The family a control is scored in: its own, a PCI requirement or a GDPR chapter."""
    if control.family:
        return control.family

    match = _NUMBER.search(control.reference or control.requirement)
    if match is None:
        return "other"
    number = int(match.group())

    if framework_id == "gdpr":
        for low, high, chapter, _ in GDPR_CHAPTERS:
            if low <= number <= high:
                return chapter
        return "other"

    return str(number)


def family_title(framework_id: str, family: str) -> str:
    """A heading for a family."""
    if framework_id == "gdpr":
        titles = {chapter: title for _, _, chapter, title in GDPR_CHAPTERS}
        return titles.get(family, f"Chapter {family}")
    if framework_id == "pci-dss":
        return PCI_FAMILIES.get(family, f"Requirement {family}")

    return family


def ratio(passed: int, assessed: int) -> float | None:
    """Percentage with one decimal, or None when nothing was assessed."""
    return round(100 * passed / assessed, 1) if assessed else None


def weights(results: Sequence[ControlResult]) -> tuple[int, int, int]:
    """Assessed weight, passed weight, and passed weight counting waived controls."""
    assessed = [r for r in results if r.status in (Status.PASS, Status.FAIL)]
    total = sum(r.weight for r in assessed)
    passed = sum(r.weight for r in assessed if r.status is Status.PASS)
    waived = sum(r.weight for r in assessed if r.status is Status.FAIL and r.waived)

    return total, passed, passed + waived


def framework_score(
    framework: Framework, results: Sequence[ControlResult]
) -> FrameworkScore:
    """Severity-weighted share of assessed (pass or fail) controls that pass."""
    counts = Counter(result.status.value for result in results)
    assessed, passed, with_waivers = weights(results)

    return FrameworkScore(
        framework=framework.id,
        name=framework.name,
        version=framework.version,
        score=ratio(passed, assessed),
        counts={status.value: counts.get(status.value, 0) for status in Status},
        assessed_weight=assessed,
        passed_weight=passed,
        is_complete=counts.get(Status.ERROR.value, 0) == 0,
        score_with_waivers=ratio(with_waivers, assessed),
        passed_weight_with_waivers=with_waivers,
        waived_controls=sum(1 for r in results if r.waived),
        families=_families(framework.id, results),
    )


def with_gains(
    results: Sequence[ControlResult], score: FrameworkScore
) -> list[ControlResult]:
    """Each failing control with the points fixing it would add to the score."""
    assessed, passed = score.assessed_weight, score.passed_weight
    current = ratio(passed, assessed)
    gained = []

    for result in results:
        if result.status is Status.FAIL and current is not None:
            after = ratio(passed + result.weight, assessed) or 0.0
            result = result.model_copy(update={"gain": round(after - current, 1)})
        gained.append(result)

    return gained


def _families(
    framework_id: str, results: Sequence[ControlResult]
) -> tuple[FamilyScore, ...]:
    groups: dict[str, list[ControlResult]] = {}
    for result in results:
        groups.setdefault(result.family, []).append(result)

    scores = []
    for family in sorted(groups, key=_family_order):
        members = groups[family]
        assessed, passed, with_waivers = weights(members)
        counts = Counter(member.status.value for member in members)
        scores.append(
            FamilyScore(
                family=family,
                title=family_title(framework_id, family),
                score=ratio(passed, assessed),
                score_with_waivers=ratio(with_waivers, assessed),
                assessed_weight=assessed,
                passed_weight=passed,
                counts={s.value: counts.get(s.value, 0) for s in Status},
            )
        )

    return tuple(scores)


def _family_order(family: str) -> tuple[int, str]:
    numerals = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
    if family.isdigit():
        return int(family), family
    return numerals.get(family, 1000), family
