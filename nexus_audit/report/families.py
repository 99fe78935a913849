"""Control families: PCI DSS principal requirements and GDPR articles.

The compliance results and the PDF bookmarks are grouped by family, the way an
assessor files evidence: "Requirement 8" in PCI DSS v4.0.1, "Article 32" in the GDPR.
A family is the first number of a control's requirement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..results import ControlResult

# PCI DSS v4.0.1, the twelve principal requirements.
PCI_REQUIREMENTS = {
    1: "Install and maintain network security controls",
    2: "Apply secure configurations to all system components",
    3: "Protect stored account data",
    4: "Protect cardholder data with strong cryptography during transmission",
    5: "Protect all systems and networks from malicious software",
    6: "Develop and maintain secure systems and software",
    7: "Restrict access by business need to know",
    8: "Identify users and authenticate access to system components",
    9: "Restrict physical access to cardholder data",
    10: "Log and monitor all access to system components and cardholder data",
    11: "Test security of systems and networks regularly",
    12: "Support information security with organisational policies and programmes",
}

# Regulation (EU) 2016/679, the articles the checklists cite.
GDPR_ARTICLES = {
    5: "Principles relating to processing of personal data",
    12: "Transparent information and modalities for the data subject's rights",
    15: "Right of access by the data subject",
    17: "Right to erasure",
    25: "Data protection by design and by default",
    30: "Records of processing activities",
    32: "Security of processing",
    33: "Notification of a personal data breach to the supervisory authority",
    34: "Communication of a personal data breach to the data subject",
    35: "Data protection impact assessment",
}

_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class Family:
    """Controls of one framework that share a requirement or article."""

    key: str
    title: str
    controls: tuple[ControlResult, ...]


def family_title(framework: str, requirement: str) -> tuple[int | None, str]:
    """(number, heading) of the family a requirement belongs to."""
    match = _NUMBER.search(requirement)
    if match is None:
        return None, "Other controls"

    number = int(match.group())
    if framework.lower().startswith("gdpr"):
        name = GDPR_ARTICLES.get(number)
        return number, f"Article {number}" + (f": {name}" if name else "")

    name = PCI_REQUIREMENTS.get(number) if framework.lower().startswith("pci") else None
    return number, f"Requirement {number}" + (f": {name}" if name else "")


def families(framework: str, controls: tuple[ControlResult, ...]) -> tuple[Family, ...]:
    """The controls grouped by family, families in numeric order, controls as listed."""
    groups: dict[tuple[int, str], list[ControlResult]] = {}

    for control in controls:
        number, title = family_title(framework, control.requirement)
        key = (number if number is not None else 10_000, title)
        groups.setdefault(key, []).append(control)

    return tuple(
        Family(f"{framework}-{number}", title, tuple(members))
        for (number, title), members in sorted(groups.items())
    )
