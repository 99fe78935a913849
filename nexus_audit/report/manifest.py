"""``manifest.json``: what a report was made from, and the SHA-256 of every file it wrote.

It lets an auditor check offline that the files are the ones the audit wrote (``nexus-
audit verify DIR``) and trace each figure to a query: its file, the hash of its SQL
text, the values bound to it and the rows it returned, with the database engine and
server version it ran on and who ran it. With a signing key, ``manifest.json.sig``
holds an Ed25519 signature of the manifest's exact bytes, so a changed manifest is
caught too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from ..results import AuditResult

NAME = "manifest.json"
SIGNATURE = "manifest.json.sig"
FORMAT = "nexus-audit-manifest/1"


def sha256(data: bytes) -> str:
    """Hex SHA-256, the form the manifest uses."""
    return hashlib.sha256(data).hexdigest()


def _queries(result: AuditResult) -> list[dict[str, Any]]:
    return [
        {
            "name": run.name,
            "file": run.file,
            "sql_sha256": run.sql_sha256,
            "parameters": run.parameters,
            "status": run.status,
            "row_count": run.row_count,
            "duration_ms": run.duration_ms,
            "error": run.error,
        }
        for run in result.queries
    ]


def build(
    result: AuditResult,
    artifacts: Mapping[str, bytes],
    *,
    personal_data: Mapping[str, Any],
    sample_seed: int,
    signing: Mapping[str, Any] | None = None,
) -> bytes:
    """The manifest's bytes: sorted keys, so equal inputs give equal bytes."""
    engine = result.database.split(":", 1)[0]
    document = {
        "format": FORMAT,
        "library": {"name": "nexus_audit", "version": result.library_version},
        "organisation": result.organisation,
        "period": {
            "label": result.period.label,
            "start": result.period.start.isoformat(),
            "end": result.period.end.isoformat(),
        },
        "generated_at": result.generated_at.isoformat(),
        "run_by": result.run_by,
        "database": {
            "name": result.database,
            "engine": engine,
            "server_version": result.database_server,
        },
        "complete": result.is_complete,
        "queries": _queries(result),
        "activity": result.activity,
        "frameworks": [
            {"framework": f.framework, "version": f.version, "score": f.score}
            for f in result.frameworks
        ],
        "personal_data": dict(personal_data),
        "sample_seed": sample_seed,
        "signing": dict(signing) if signing else None,
        "artifacts": [
            {"path": path, "sha256": sha256(data), "bytes": len(data)}
            for path, data in sorted(artifacts.items())
        ],
    }
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)

    return (text + "\n").encode("utf-8")
