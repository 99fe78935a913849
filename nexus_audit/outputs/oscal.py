"""Controls as OSCAL assessment results (OSCAL 1.1.2), for GRC tools.

Each control becomes an observation; controls that were judged (pass or fail) also become
a finding whose target status is satisfied or not satisfied. Identifiers are UUIDv5 values
derived from the run, so the same result always gives the same document.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from ..results import AuditResult, ControlResult, Status

OSCAL_VERSION = "1.1.2"
_NAMESPACE = uuid.UUID("6f1c2a52-7a4e-4c1e-9a57-2f7d3f0f9d10")


def oscal_assessment_results(result: AuditResult) -> str:
    """An OSCAL ``assessment-results`` document as JSON."""
    run = (
        f"{result.organisation}|{result.period.label}|{result.generated_at.isoformat()}"
    )
    stamp = result.generated_at.isoformat()
    observations = [_observation(run, control, stamp) for control in result.controls]
    findings = [
        _finding(run, control)
        for control in result.controls
        if control.status in (Status.PASS, Status.FAIL)
    ]

    document = {
        "assessment-results": {
            "uuid": _uuid(run, "document"),
            "metadata": {
                "title": f"{result.organisation}: compliance audit {result.period.label}",
                "last-modified": stamp,
                "version": result.library_version,
                "oscal-version": OSCAL_VERSION,
            },
            "import-ap": {"href": "#nexus-audit-assessment-plan"},
            "results": [
                {
                    "uuid": _uuid(run, "result"),
                    "title": f"Monthly audit {result.period.label}",
                    "description": _scores(result),
                    "start": result.period.start.isoformat(),
                    "end": result.period.end.isoformat(),
                    "reviewed-controls": {"control-selections": [{"include-all": {}}]},
                    "observations": observations,
                    **({"findings": findings} if findings else {}),
                }
            ],
        }
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _observation(run: str, control: ControlResult, stamp: str) -> dict[str, Any]:
    method = "EXAMINE" if control.kind == "manual" else "TEST"
    return {
        "uuid": _uuid(run, "observation", control.control_id),
        "title": f"{control.control_id} {control.title}",
        "description": control.reason,
        "props": [
            {
                "name": "status",
                "ns": "https://nexus-audit.invalid/ns",
                "value": control.status.value,
            },
            {
                "name": "requirement",
                "ns": "https://nexus-audit.invalid/ns",
                "value": control.requirement,
            },
        ],
        "methods": [method],
        "collected": stamp,
    }


def _finding(run: str, control: ControlResult) -> dict[str, Any]:
    state = "satisfied" if control.status is Status.PASS else "not-satisfied"
    return {
        "uuid": _uuid(run, "finding", control.control_id),
        "title": f"{control.control_id} {control.title}",
        "description": control.reason,
        "target": {
            "type": "objective-id",
            "target-id": control.control_id,
            "status": {"state": state},
        },
        "related-observations": [
            {"observation-uuid": _uuid(run, "observation", control.control_id)}
        ],
    }


def _scores(result: AuditResult) -> str:
    parts = []
    for score in result.frameworks:
        shown = "not assessed" if score.score is None else f"{score.score} %"
        parts.append(f"{score.name} {score.version}: {shown}")
    return "; ".join(parts)


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "|".join(parts)))
