"""Failures seen in tools like ours (shared/reference/field-failures.md), as tests.

Sections F.21 (inclusive month ends), D.13 (time-stamps read in another session zone) and
D.14 (NULL turning integers into floats); the report, parser and renderer kinds are
tested beside their code.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from nexus_audit import Period, run_audit
from nexus_audit.config import Settings
from nexus_audit.queries import load_queries
from nexus_audit.runner import typed_frame

from .conftest import Backend
from .scenario import Builder, event, t, user

EDGES = [
    "2024-01-31 00:00:00",
    "2024-01-31 23:59:59.999999",
    "2024-02-01 00:00:00",
    "2024-02-29 18:00:00",
    "2025-02-28 23:59:59",
    "2025-03-01 00:00:00",
    "2023-12-31 23:59:59.999999",
    "2024-12-31 23:59:59.999999",
    "2025-01-01 00:00:00",
]


def edges() -> Builder:
    b = Builder()
    user(b, 1, "alice")
    for when in EDGES:
        event(b, t(when), 1, "data_access")
    return b


def events_in(result_activity: dict[str, int]) -> int:
    return result_activity["audit_events"]


def test_month_ends_are_half_open(backend: Backend) -> None:
    edges().write(backend.url)

    def count(year: int, month: int) -> int:
        result = run_audit(backend.url, Period.month(year, month), settings=Settings())
        return events_in(result.activity)

    assert count(2024, 1) == 2  # both 31 January events, not 1 February
    assert count(2024, 2) == 2  # 1 February and the leap day
    assert count(2025, 2) == 1  # 28 February 23:59:59, not 1 March 00:00
    assert count(2025, 3) == 1
    monthly = [count(2024, month) for month in range(1, 13)]
    assert sum(monthly) == 5  # every 2024 event once, none of 2023 or 2025


def test_session_time_zone_does_not_move_days(postgres_backend: Backend) -> None:
    b = edges()
    event(b, t("2024-03-30 12:00"), 1, "data_access")  # +01 in Berlin
    event(b, t("2024-04-01 12:00"), 1, "data_access")  # +02 in Berlin
    b.write(postgres_backend.url)
    url = make_url(postgres_backend.url)
    berlin = url.update_query_dict(
        {"options": url.query["options"] + " -cTimeZone=Europe/Berlin"}
    )

    frames = []
    for address in (postgres_backend.url, berlin.render_as_string(hide_password=False)):
        engine = sa.create_engine(address)
        for month in (3, 4):
            result = run_audit(engine, Period.month(2024, month), settings=Settings())
            frames.append(result.frame("daily_audit_summary"))
        engine.dispose()

    utc, in_berlin = pd.concat(frames[:2]), pd.concat(frames[2:])
    pd.testing.assert_frame_equal(
        utc.reset_index(drop=True), in_berlin.reset_index(drop=True)
    )
    assert [d.date() for d in utc["day"]] == [date(2024, 3, 30), date(2024, 4, 1)]


def test_null_keeps_integers_integer() -> None:
    query = load_queries()["dormant_accounts"]
    frame = typed_frame(
        query,
        [
            (1, "a", "active", None, None, 3),
            (2, "b", "active", None, None, None),
            (3, "c", "locked", None, None, 7),
        ],
    )

    assert str(frame["days_inactive"].dtype) == "Int64"
    assert frame["days_inactive"].tolist()[0] == 3
    assert frame.to_csv(index=False).splitlines()[1].endswith(",3")
    assert pd.isna(frame["days_inactive"].iloc[1])
