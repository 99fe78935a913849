"""Logging gaps on hand-worked edges: ties at a gap's ends, the stop/start exemption,
events on the period's bounds; on DuckDB and PostgreSQL.

The query finds gaps from per-minute first and last events, then names the events at
each end; these cases pin the answers the plain ordering of every event gives.
"""

from __future__ import annotations

from .conftest import Backend
from .scenario import Builder, t
from .test_detections import detect


def _event(b: Builder, event_id: int, at: str, kind: str) -> None:
    b.add("audit_log", id=event_id, created_at=t(at), event_type=kind, outcome="success")


def _gaps(backend: Backend, b: Builder, minutes: int = 120) -> list[tuple[object, ...]]:
    b.write(backend.url)
    frame = detect(backend.url, "logging_gaps", max_gap_minutes=minutes)
    return [
        (start, end, round(float(length), 3), before, after)
        for start, end, length, before, after in frame.itertuples(index=False)
    ]


def test_ties_name_the_last_event_before_and_the_first_after(backend: Backend) -> None:
    b = Builder()
    _event(b, 1, "2026-01-31 23:59", "before the period")
    _event(b, 2, "2026-02-01 00:00", "at start")
    _event(b, 4, "2026-02-10 06:00", "third at 06:00")
    _event(b, 3, "2026-02-10 06:00", "second at 06:00")
    _event(b, 5, "2026-02-10 07:59:30", "30 s short of two hours")
    _event(b, 7, "2026-02-20 12:00", "later id at noon")
    _event(b, 6, "2026-02-20 12:00", "earlier id at noon")
    _event(b, 8, "2026-03-01 00:00", "at the end bound: next month")

    # 00:00 on 1 Feb (event 2, after the period-start point) to 06:00 on 10 Feb: 9 days
    # 6 h = 13,320 min, ending at the lower id (3). 07:59:30 to 20 Feb 12:00 = 10 days
    # 4 h 0.5 min = 14,640.5 min, ending at id 6. Noon 20 Feb to the end: 8 days 12 h =
    # 12,240 min, starting at the higher id (7). 06:00 to 07:59:30 is under two hours.
    assert _gaps(backend, b) == [
        (t("2026-02-01 00:00"), t("2026-02-10 06:00"), 13_320.0, "at start", "second at 06:00"),
        (
            t("2026-02-10 07:59:30"),
            t("2026-02-20 12:00"),
            14_640.5,
            "30 s short of two hours",
            "earlier id at noon",
        ),
        (t("2026-02-20 12:00"), t("2026-03-01 00:00"), 12_240.0, "later id at noon", "period end"),
    ]


def test_stop_then_start_is_exempt_and_bounds_count_as_ends(backend: Backend) -> None:
    b = Builder()
    _event(b, 1, "2026-02-01 03:00", "login_success")
    _event(b, 2, "2026-02-01 03:10", "logging_stopped")
    _event(b, 3, "2026-02-01 09:10", "logging_started")
    _event(b, 4, "2026-02-27 00:00", "logging_started")

    # Start bound to 03:00: 180 min, from "period start". 03:10 stop to 09:10 start is
    # exempt. 09:10 on 1 Feb to 00:00 on 27 Feb: 25 days 14 h 50 min = 36,890 min, not
    # exempt (a start after a start). 27 Feb to the end: 2 days = 2,880 min.
    assert _gaps(backend, b) == [
        (t("2026-02-01 00:00"), t("2026-02-01 03:00"), 180.0, "period start", "login_success"),
        (
            t("2026-02-01 09:10"),
            t("2026-02-27 00:00"),
            36_890.0,
            "logging_started",
            "logging_started",
        ),
        (t("2026-02-27 00:00"), t("2026-03-01 00:00"), 2_880.0, "logging_started", "period end"),
    ]


def test_a_month_without_events_is_one_gap(backend: Backend) -> None:
    b = Builder()
    _event(b, 1, "2026-03-01 00:00", "next month")

    # February 2026 has 28 days: 40,320 minutes.
    assert _gaps(backend, b, minutes=1) == [
        (t("2026-02-01 00:00"), t("2026-03-01 00:00"), 40_320.0, "period start", "period end")
    ]


def test_sequence_gaps_inside_and_across_blocks_of_ids(backend: Backend) -> None:
    b = Builder()
    ids = [4090, 4091, 4092, 4093, 4094, 4096, 4097, 4098, 4099, 4100, 4102, 9000]
    for event_id in ids:
        at = "2026-01-31 12:00" if event_id == 4097 else f"2026-02-0{1 + event_id % 7} 10:00"
        _event(b, event_id, at, "x")
    b.write(backend.url)

    frame = detect(backend.url, "audit_log_sequence_gaps")

    # 4095 is missing at the edge of a block of 4,096 ids, 4101 inside one, 4103-8999
    # (4,897 ids) across two; 4097, dated in January, still counts as present. An id's
    # day is 1 + id mod 7: 4094 -> 7 February, 4100 -> 6, 4102 -> 1.
    assert [tuple(r) for r in frame[["after_id", "next_id", "missing_ids"]].values] == [
        (4094, 4096, 1),
        (4100, 4102, 1),
        (4102, 9000, 4897),
    ]
    days = ["2026-02-07 10:00", "2026-02-06 10:00", "2026-02-01 10:00"]
    assert list(frame["after_at"]) == [t(day) for day in days]
