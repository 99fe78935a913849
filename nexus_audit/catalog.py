"""The control catalog as plain rows: what ``nexus-audit controls`` lists.

Also the cross-mapping the report shows: which controls of which frameworks one query
evidences.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .checklists import Framework, load_frameworks
from .queries import load_queries


def catalog_rows(frameworks: Iterable[str]) -> list[dict[str, Any]]:
    """One dict per control, in framework then file order.

    Each has ``id``, ``framework`` (``gdpr``, ``pci-dss`` or a custom id),
    ``framework_version``, ``requirement``, ``kind`` (``data`` or ``manual``),
    ``coverage`` (``D``, ``P`` or null), ``title``, ``severity``, ``section``,
    ``queries``, ``reference``, ``attestation`` (what to attest beside the data, or the
    evidence a manual control expects) and ``remediation``.
    """
    chosen = load_frameworks(list(frameworks), load_queries())

    return [
        _row(framework, control)
        for framework in chosen
        for control in framework.controls
    ]


def cross_mapping(frameworks: Iterable[Framework]) -> dict[str, list[tuple[str, str]]]:
    """Query name to the (framework, control id) pairs it evidences, for shared queries.

    Only queries that evidence controls of more than one framework are kept.
    """
    users: dict[str, list[tuple[str, str]]] = {}

    for framework in frameworks:
        for control in framework.controls:
            for name in control.query_names():
                users.setdefault(name, []).append((framework.id, control.id))

    return {
        name: pairs
        for name, pairs in sorted(users.items())
        if len({framework for framework, _ in pairs}) > 1
    }


def _row(framework: Framework, control: Any) -> dict[str, Any]:
    return {
        "id": control.id,
        "framework": framework.id,
        "framework_version": framework.version,
        "requirement": control.requirement,
        "kind": control.kind,
        "coverage": control.coverage,
        "title": control.title,
        "severity": control.severity,
        "section": control.section,
        "queries": list(control.query_names()),
        "reference": control.reference,
        "attestation": control.attestation or control.evidence_expected,
        "remediation": control.remediation,
    }
