"""Time stamps as data quality: zone-less columns read as UTC, future-dated rows reported.

Both on DuckDB and PostgreSQL, with hand-computed counts:

* a ``login_attempts.created_at`` stored as ``timestamp without time zone`` is read as
  UTC (the audit session's clock), not in ``time_zone``; the report names the column;
* rows dated after the audit's time plus the tolerance (5 minutes) are counted by
  ``future_dated_events`` and fail PCI-10.6.1, instead of passing silently.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from nexus_audit import run_audit
from nexus_audit.config import Settings
from nexus_audit.model import metadata

from .builders import event, login
from .conftest import Backend
from .scenario import Builder, t, user

NAIVE_ATTEMPTS = [
    datetime(2026, 1, 31, 23, 50),
    datetime(2026, 2, 1, 0, 30),
    datetime(2026, 2, 10, 12, 0),
    datetime(2026, 2, 28, 23, 10),
    datetime(2026, 2, 28, 23, 30),
    datetime(2026, 3, 1, 0, 10),
]


def _naive_attempts(url: str) -> None:
    b = Builder()
    user(b, 1, "alice")
    event(b, "2026-02-10 12:00", 1, "data_access")
    b.write(url, skip=("login_attempts",))

    model = metadata.tables["login_attempts"]
    naive = sa.Table(
        "login_attempts",
        sa.MetaData(),
        *[
            sa.Column(c.name, sa.DateTime(timezone=False), nullable=c.nullable)
            if c.name == "created_at"
            else sa.Column(
                c.name,
                c.type,
                primary_key=c.primary_key,
                nullable=c.nullable,
                autoincrement=False,
            )
            for c in model.columns
        ],
    )
    engine = sa.create_engine(url)
    naive.create(engine)
    with engine.begin() as connection:
        connection.execute(
            naive.insert(),
            [
                {
                    "id": i,
                    "user_id": 1,
                    "username": "alice",
                    "created_at": when,
                    "success": True,
                    "client_ip": "100.64.0.1",
                }
                for i, when in enumerate(NAIVE_ATTEMPTS, start=1)
            ],
        )
    engine.dispose()


def test_zone_less_times_are_read_as_utc_and_named(backend: Backend) -> None:
    _naive_attempts(backend.url)
    berlin = Settings(time_zone="Europe/Berlin")

    in_utc = run_audit(backend.url, "2026-02", settings=Settings())
    feb_berlin = run_audit(backend.url, "2026-02", settings=berlin)
    mar_berlin = run_audit(backend.url, "2026-03", settings=berlin)

    # UTC February: 1 Feb 00:30, 10 Feb, 28 Feb 23:10 and 23:30.
    assert in_utc.activity["login_attempts"] == 4
    # Berlin February runs 31 Jan 23:00 to 28 Feb 23:00 UTC: read as UTC that holds
    # 31 Jan 23:50, 1 Feb 00:30, 10 Feb (read as Berlin time it would hold 4 others).
    assert feb_berlin.activity["login_attempts"] == 3
    # Berlin March starts 28 Feb 23:00 UTC: 28 Feb 23:10, 23:30, 1 Mar 00:10 (as
    # Berlin time only 1 Mar 00:10 would be in March).
    assert mar_berlin.activity["login_attempts"] == 3

    named = [w for w in feb_berlin.warnings if "login_attempts.created_at" in w]
    assert len(named) == 1
    assert "read as UTC" in named[0] and "Europe/Berlin" in named[0]
    assert not [w for w in in_utc.warnings if w.startswith("Query ")]
    assert not [w for w in in_utc.warnings if "audit_log.created_at" in w]


def _future(url: str) -> None:
    b = Builder()
    user(b, 1, "alice")
    event(b, "2026-02-10 12:00", 1, "data_access")
    event(b, "2026-03-02 06:04", 1, "data_access")  # within the 5-minute tolerance
    event(b, "2026-03-02 06:06", 1, "data_access")
    event(b, "2027-01-01 00:00", 1, "data_access")
    login(b, "2026-02-10 12:00", 1)
    login(b, "2026-03-05 09:00", 1)
    b.write(url)


def test_future_dated_rows_are_counted_and_fail_the_clock_control(
    backend: Backend,
) -> None:
    _future(backend.url)
    generated = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)

    result = run_audit(
        backend.url, "2026-02", settings=Settings(), generated_at=generated
    )

    frame = result.frame("future_dated_events")
    rows = {
        row.source: (int(row.rows_ahead), row.first_at, row.latest_at)
        for row in frame.itertuples()
    }
    assert rows == {
        "audit_log": (2, t("2026-03-02 06:06"), t("2027-01-01 00:00")),
        "login_attempts": (1, t("2026-03-05 09:00"), t("2026-03-05 09:00")),
    }
    control = next(c for c in result.controls if c.control_id == "PCI-10.6.1")
    assert control.status == "fail"
    # The period's own counts hold February's rows only.
    assert result.activity == {"audit_events": 1, "login_attempts": 1}


def test_no_future_rows_pass_the_clock_control(backend: Backend) -> None:
    _future(backend.url)
    later = datetime(2027, 1, 1, 0, 0, tzinfo=UTC)

    result = run_audit(backend.url, "2026-02", settings=Settings(), generated_at=later)

    assert result.frame("future_dated_events").empty
    control = next(c for c in result.controls if c.control_id == "PCI-10.6.1")
    assert control.status == "pass"
