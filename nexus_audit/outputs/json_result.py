"""The audit result as versioned JSON, described by a published JSON Schema."""

from __future__ import annotations

import json
from typing import Any

from ..results import AuditResult

SCHEMA_VERSION = "1.0"
SCHEMA_ID = "https://nexus-audit.invalid/schemas/audit-result-1.0.json"


# Run times differ between two runs over the same data; the manifest keeps them, so
# the result (which the PDF attaches) gives equal bytes for equal audits.
VOLATILE = frozenset({"duration_ms", "started_at", "finished_at"})


def result_json(result: AuditResult) -> str:
    """Scores, controls, query runs and warnings; evidence rows stay in the CSVs."""
    document = {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        **_steady(result.model_dump(mode="json")),
        "is_complete": result.is_complete,
    }
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _steady(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _steady(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_steady(item) for item in value]
    return value


def json_schema() -> dict[str, Any]:
    """The JSON Schema that :func:`result_json` documents validate against."""
    schema = AuditResult.model_json_schema(mode="serialization")
    properties = schema.setdefault("properties", {})
    properties["$schema"] = {"type": "string", "const": SCHEMA_ID}
    properties["schema_version"] = {"type": "string", "const": SCHEMA_VERSION}
    properties["is_complete"] = {
        "type": "boolean",
        "description": "False when a query failed, so some controls read 'error'.",
    }
    schema["required"] = sorted({*schema.get("required", []), "schema_version"})
    schema["$id"] = SCHEMA_ID
    schema["title"] = "nexus_audit audit result"

    return schema
