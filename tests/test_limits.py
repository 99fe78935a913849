"""A query that runs past the time limit is cancelled; the rest of the audit goes on."""

from __future__ import annotations

import dataclasses
import time

import pytest

from nexus_audit import Status, run_audit
from nexus_audit import audit as audit_module
from nexus_audit.config import Settings
from nexus_audit.queries import Query, load_queries

from .conftest import Backend
from .scenario import PERIOD, february

# Ten billion rows: minutes on either engine, so only the time limit can end it.
ENDLESS = """
SELECT NULL AS user_id, NULL AS username, NULL AS status, NULL AS created_at,
       NULL AS last_activity_at, SUM(a.x % 7 + b.x % 5) + :max_inactive_days AS days_inactive
FROM generate_series(1, 100000) AS a(x), generate_series(1, 100000) AS b(x)
WHERE CAST(:period_end AS DATE) IS NOT NULL
"""


def with_endless_dormancy() -> dict[str, Query]:
    queries = load_queries()
    queries["dormant_accounts"] = dataclasses.replace(
        queries["dormant_accounts"], sql=ENDLESS
    )
    return queries


def test_slow_query_is_cancelled_and_reported(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    february().write(backend.url)
    monkeypatch.setattr(audit_module, "load_queries", with_endless_dormancy)

    started = time.perf_counter()
    result = run_audit(
        backend.url, PERIOD, settings=Settings(statement_timeout_seconds=1)
    )
    elapsed = time.perf_counter() - started

    runs = {run.name: run for run in result.queries}
    assert runs["dormant_accounts"].status == "error"
    assert "1 s query time limit" in (runs["dormant_accounts"].error or "")
    assert {r.name for r in result.queries if r.status == "error"} == {
        "dormant_accounts"
    }

    controls = {c.control_id: c for c in result.controls}
    assert controls["PCI-8.2.6"].status is Status.ERROR
    assert "dormant_accounts" in controls["PCI-8.2.6"].reason
    assert controls["PCI-8.4.1"].status is Status.FAIL
    assert not result.is_complete
    assert elapsed < 30
