"""The ingestion writer: staging rows column-wise, on both engines, stored exactly."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from nexus_audit.database import open_engine
from nexus_audit.errors import DatabaseError
from nexus_audit.ingest.records import Attempt, Event
from nexus_audit.ingest.writer import _details, row_id, writing

from .conftest import Backend

WHEN = datetime(2024, 3, 1, 10, 0, 0, tzinfo=UTC)
# Text that CSV, COPY and JSON each treat specially; each must come back as written.
HOSTILE = 'a "quoted", comma\nnew line\ttab \\ back é ✓'


def _store(url: str, attempts: list[Attempt], events: list[Event]) -> tuple[int, int]:
    engine = open_engine(url, read_only=False)
    try:
        with writing(engine) as writer:
            return writer.add(attempts, events)
    finally:
        engine.dispose()


def _rows(url: str, query: str) -> list[tuple[object, ...]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(sa.text(query))]
    finally:
        engine.dispose()


def test_attempts_come_back_exactly_with_nulls_kept_apart_from_empty_text(
    backend: Backend,
) -> None:
    attempts = [
        Attempt("k1", WHEN, HOSTILE, "192.0.2.1", False, "bad_password", None, ""),
        Attempt(
            "k2",
            WHEN + timedelta(microseconds=250),
            None,
            None,
            True,
            mfa_used=True,
            country="FR",
            latitude=48.8566,
            longitude=math.nan,
        ),
        Attempt("k1", WHEN, "second copy of k1", None, True),  # same id: first kept
    ]

    added = _store(backend.url, attempts, [])

    assert added == (2, 0)
    rows = _rows(
        backend.url,
        "SELECT id, username, client_ip, created_at, success, failure_reason, "
        "mfa_used, user_agent, country, latitude, longitude "
        "FROM login_attempts ORDER BY created_at",
    )
    first, second = rows
    assert first[0] == row_id("k1")
    assert first[1:3] == (HOSTILE, "192.0.2.1")
    assert first[3] == WHEN
    assert first[4:8] == (False, "bad_password", None, "")
    assert first[8] is None  # 192.0.2.1 is documentation space: no country
    assert second[0] == row_id("k2")
    assert second[1:3] == (None, None)
    assert second[3] == WHEN + timedelta(microseconds=250)
    assert second[4:9] == (True, None, True, None, "FR")
    assert second[9] == pytest.approx(48.8566)
    assert second[10] is None  # NaN is a missing value, as it was in a DataFrame


def test_events_come_back_exactly_and_times_are_utc(backend: Backend) -> None:
    paris = timezone(timedelta(hours=1))
    events = [
        Event(
            "e1",
            datetime(2024, 3, 1, 11, 0, 0, tzinfo=paris),
            "sudo_command",
            account="alice",
            actor_ip=None,
            resource="r" * 301,
            outcome="success",
            details={"host": "h", "pid": None, "message": HOSTILE},
        ),
        Event("e2", None, "role_granted", details={"uid": 0, "extra": ["x", 1]}),
    ]

    assert _store(backend.url, [], events) == (0, 2)
    rows = _rows(
        backend.url,
        "SELECT id, created_at, event_type, actor_ip, resource, outcome, details "
        "FROM audit_log ORDER BY event_type DESC",
    )
    sudo, role = rows
    assert sudo[0] == row_id("e1")
    assert sudo[1] == WHEN  # 11:00 at +01:00 is 10:00 UTC
    assert sudo[2:4] == ("sudo_command", None)
    assert sudo[4] == "r" * 299 + "…"  # resource is cut to 300 characters
    assert sudo[5] == "success"
    assert sudo[6] == (
        '{"account": "alice", "host": "h", "pid": null, "message": '
        '"a \\"quoted\\", comma\\nnew line\\ttab \\\\ back é ✓"}'
    )
    assert role[1] is None
    assert role[6] == '{"uid": 0, "extra": ["x", 1]}'


@pytest.mark.parametrize(
    "details",
    [
        {},
        {"host": "h", "pid": None, "message": "m"},
        {"message": "\x00\x01\x1f\x7f \u2028 \ud800 \"\\/"},
        {"uid": "0", "gid": "0"},
        {"more": 3, "ratio": 0.5, "flag": True},
        {"nested": {"a": [1, None]}},
        {1: "integer key"},
        {"when": datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)},
    ],
)
@pytest.mark.parametrize("account", [None, "bob"])
def test_details_text_is_what_json_dumps_writes(
    details: dict[object, object], account: str | None
) -> None:
    event = Event("k", WHEN, "t", account=account, details=details)  # type: ignore[arg-type]
    whole = {"account": account, **details} if account else details

    assert _details(event) == json.dumps(whole, ensure_ascii=False, default=str)


def _count(url: str) -> tuple[int, int]:
    rows = _rows(
        url,
        "SELECT (SELECT COUNT(*) FROM login_attempts), (SELECT COUNT(*) FROM audit_log)",
    )
    return rows[0]  # type: ignore[return-value]


def test_batches_stored_in_the_background_add_up(backend: Backend) -> None:
    engine = open_engine(backend.url, read_only=False)
    try:
        with writing(engine) as writer:
            writer.submit([Attempt("a1", WHEN, "u", None, True)], [])
            writer.submit(
                [Attempt("a1", WHEN, "u", None, True)],  # stored by the batch before
                [Event("e1", WHEN, "t"), Event("e2", WHEN, "t")],
            )
            added = writer.wait()
    finally:
        engine.dispose()

    assert added == (1, 2)
    assert _count(backend.url) == (1, 2)


def test_a_batch_refused_in_the_background_leaves_nothing_behind(
    backend: Backend,
) -> None:
    engine = open_engine(backend.url, read_only=False)
    refused = Event("e2", WHEN, None)  # type: ignore[arg-type]  # NOT NULL column
    try:
        with pytest.raises(DatabaseError, match="storing the records failed"):
            with writing(engine) as writer:
                writer.submit([Attempt("a1", WHEN, "u", None, True)], [])
                writer.submit([], [refused])
                writer.wait()
        with pytest.raises(DatabaseError, match="parser stopped"):
            with writing(engine) as writer:
                writer.submit([Attempt("a1", WHEN, "u", None, True)], [])
                raise RuntimeError("parser stopped")  # while the batch is stored
    finally:
        engine.dispose()

    assert _count(backend.url) == (0, 0)


def test_values_of_another_type_are_converted_as_before(backend: Backend) -> None:
    odd = Attempt("k", WHEN, 123, None, 1, mfa_used=0, latitude=5)  # type: ignore[arg-type]

    assert _store(backend.url, [odd], []) == (1, 0)
    rows = _rows(
        backend.url, "SELECT username, success, mfa_used, latitude FROM login_attempts"
    )
    assert rows == [("123", True, False, 5.0)]
