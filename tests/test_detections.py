"""The login-anomaly detections on small hand-worked data, on DuckDB and PostgreSQL.

Each test plants a few attempts or events whose answer was worked out by hand (the
comments say how) and asserts the detection's rows. The period is February 2026; 1
February 2026 is a Sunday.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pandas as pd
import sqlalchemy as sa

from nexus_audit.database import snapshot
from nexus_audit.model import metadata
from nexus_audit.period import Period
from nexus_audit.queries import ParamValue, load_queries
from nexus_audit.runner import run_query

from .conftest import Backend
from .scenario import Builder, t

PERIOD = Period.month(2026, 2)
QUERIES = load_queries()


def detect(
    url: str, name: str, period: Period = PERIOD, **params: ParamValue
) -> pd.DataFrame:
    """Run one detection in a read-only snapshot; it must succeed."""
    engine = sa.create_engine(url)
    values: dict[str, ParamValue] = {
        "period_start": period.start,
        "period_end": period.end,
        **params,
    }
    try:
        with snapshot(engine, statement_timeout_s=60, lock_timeout_s=10) as connection:
            outcome = run_query(
                connection,
                QUERIES[name],
                values,
                frozenset(metadata.tables),
                timeout_s=60,
            )
    finally:
        engine.dispose()

    assert outcome.status == "ok", outcome.error
    return outcome.frame


def attempt(
    b: Builder,
    when: str | datetime,
    ip: str | None,
    username: str | None,
    *,
    success: bool = False,
    reason: str = "bad_password",
    **extra: Any,
) -> None:
    b.add(
        "login_attempts",
        username=username,
        client_ip=ip,
        created_at=t(when) if isinstance(when, str) else when,
        success=success,
        failure_reason=None if success else reason,
        **extra,
    )


def series(start: str, seconds: float, count: int) -> list[datetime]:
    return [t(start) + timedelta(seconds=seconds * i) for i in range(count)]


def test_brute_force_counts_a_closed_sliding_window(backend: Backend) -> None:
    b = Builder()
    # .1: 5 failures over exactly 600 s; .2: the fifth comes at 601 s; .3: 3 failures in
    # January and 2 in February within 8 minutes, so the burst counts, 2 in the period.
    for when in series("2026-02-03 10:00", 150, 5):
        attempt(b, when, "192.0.2.1", "root")
    for when in [*series("2026-02-03 10:00", 150, 4), t("2026-02-03 10:10:01")]:
        attempt(b, when, "192.0.2.2", "root")
    for when in series("2026-01-31 23:55", 120, 5):
        attempt(b, when, "2001:db8::1:1", f"user{when.minute}")
    b.write(backend.url)

    found = detect(backend.url, "brute_force_by_source").set_index("client_ip")

    assert sorted(found.index) == ["192.0.2.1", "2001:db8::1:1"]
    assert found.loc["192.0.2.1", "peak_failures"] == 5
    assert found.loc["192.0.2.1", "first_exceeded_at"] == t("2026-02-03 10:10")
    assert found.loc["2001:db8::1:1", "failures_in_period"] == 2
    assert found.loc["2001:db8::1:1", "distinct_usernames"] == 2
    assert len(detect(backend.url, "brute_force_by_source", min_failures=6)) == 0


def test_password_spray_needs_more_than_ten_names_and_thirty_failures(
    backend: Backend,
) -> None:
    b = Builder()
    # 33 failures 9 s apart span 288 s: .10 cycles 11 names (flagged), .11 only 10;
    # .12 tries 29 names, one failure each, 5 s apart (too few failures).
    for i, when in enumerate(series("2026-02-04 01:00", 9, 33)):
        attempt(b, when, "198.51.100.10", f"name{i % 11}")
        attempt(b, when, "198.51.100.11", f"name{i % 10}")
    for i, when in enumerate(series("2026-02-04 02:00", 5, 29)):
        attempt(b, when, "198.51.100.12", f"guess{i}")
    b.write(backend.url)

    found = detect(backend.url, "password_spray_by_source")

    assert found["client_ip"].tolist() == ["198.51.100.10"]
    row = found.iloc[0]
    assert (row["peak_failures"], row["peak_usernames"]) == (33, 11)
    # The 30th failure (index 29, at 261 s) is the first with 30 in the window.
    assert row["first_detected_at"] == t("2026-02-04 01:04:21")


def test_credential_stuffing_needs_few_tries_on_many_names(backend: Backend) -> None:
    b = Builder()
    # .20: 15 names twice each, 30 s apart (14.5 min), the last attempt a success.
    # .21: the same, but its first three attempts all try "x0": every window with 25
    # attempts holds three tries of one name. .22: 14 names twice: too few names.
    for i, when in enumerate(series("2026-02-05 03:00", 30, 30)):
        attempt(b, when, "203.0.113.20", f"a{i % 15}", success=i == 29)
    names = ["x0", "x0", "x0"] + [f"x{1 + i % 15}" for i in range(28)]
    for name, when in zip(names, series("2026-02-05 03:00", 28, 31), strict=True):
        attempt(b, when, "203.0.113.21", name)
    for i, when in enumerate(series("2026-02-05 03:00", 30, 28)):
        attempt(b, when, "203.0.113.22", f"b{i % 14}")
    b.write(backend.url)

    found = detect(backend.url, "credential_stuffing_by_source")

    assert found["client_ip"].tolist() == ["203.0.113.20"]
    row = found.iloc[0]
    assert (row["peak_attempts"], row["peak_usernames"]) == (30, 15)
    assert row["successes_in_window"] == 1
    # The 25th attempt (index 24, 12 min in) is the first window with 25 attempts.
    assert row["first_detected_at"] == t("2026-02-05 03:12")


def test_failures_then_success_names_the_account_that_got_in(backend: Backend) -> None:
    b = Builder()
    # .30: 5 failures on 5 names in [09:50, 09:58], then carol gets in at 10:00.
    # .31: its first failure is at 09:49:59, outside [09:50, 10:00): only 4 count.
    # .32: 5 failures on dave, then two successes for dave.
    for i, when in enumerate(series("2026-02-06 09:50", 120, 5)):
        attempt(b, when, "192.0.2.30", f"n{i}")
    attempt(b, "2026-02-06 10:00", "192.0.2.30", "carol", success=True)
    for when in [t("2026-02-06 09:49:59"), *series("2026-02-06 09:52", 120, 4)]:
        attempt(b, when, "192.0.2.31", "erin")
    attempt(b, "2026-02-06 10:00", "192.0.2.31", "erin", success=True)
    for when in series("2026-02-06 09:55", 30, 5):
        attempt(b, when, "192.0.2.32", "dave")
    attempt(b, "2026-02-06 10:00", "192.0.2.32", "dave", success=True)
    attempt(b, "2026-02-06 10:01", "192.0.2.32", "dave", success=True)
    b.write(backend.url)

    found = detect(backend.url, "failures_then_success").set_index("client_ip")

    assert sorted(found.index) == ["192.0.2.30", "192.0.2.32"]
    carol = found.loc["192.0.2.30"]
    assert (carol["username"], carol["failures_before"]) == ("carol", 5)
    assert (carol["usernames_tried"], carol["failures_on_account"]) == (5, 0)
    dave = found.loc["192.0.2.32"]
    assert (dave["success_at"], dave["successes"]) == (t("2026-02-06 10:00"), 2)
    assert dave["failures_on_account"] == 5


def test_impossible_travel_uses_coordinates_then_country_centres(
    backend: Backend,
) -> None:
    b = Builder()

    def login(when: str, user: str, **place: Any) -> None:
        attempt(b, when, "198.51.100.50", user, success=True, **place)

    # On the equator one degree of longitude is 6371 km * pi / 180 = 111.195 km.
    # u3: 5 degrees (555.97 km) in 30 min = 1111.9 km/h; its first login is before the
    # period. u4: 4 degrees (444.8 km) is under 500 km. u5: 10 degrees in 2 h is
    # 556 km/h. u7: a login with no place between two placed ones is left out.
    login("2026-01-31 23:50", "u3", latitude=0.0, longitude=0.0)
    login("2026-02-01 00:20", "u3", latitude=0.0, longitude=5.0)
    login("2026-02-07 10:00", "u4", latitude=0.0, longitude=0.0)
    login("2026-02-07 10:30", "u4", latitude=0.0, longitude=4.0)
    login("2026-02-07 10:00", "u5", latitude=0.0, longitude=0.0)
    login("2026-02-07 12:00", "u5", latitude=0.0, longitude=10.0)
    login("2026-02-07 10:00", "u7", latitude=0.0, longitude=0.0)
    login("2026-02-07 10:10", "u7")
    login("2026-02-07 10:30", "u7", latitude=0.0, longitude=5.0)
    # u8: Portugal then the United States an hour later: thousands of km apart.
    login("2026-02-08 10:00", "u8", country="PT")
    login("2026-02-08 11:00", "u8", country="US")
    b.write(backend.url)

    found = detect(backend.url, "impossible_travel").set_index("username")

    assert sorted(found.index) == ["u3", "u7", "u8"]
    assert found.loc["u3", "distance_km"] == 556.0
    assert found.loc["u3", "hours_between"] == 0.5
    assert found.loc["u3", "speed_kmh"] == 1111.9
    assert found.loc["u3", "previous_login_at"] == t("2026-01-31 23:50")
    assert (found.loc["u8", "previous_country"], found.loc["u8", "country"]) == (
        "PT",
        "US",
    )
    assert found.loc["u8", "speed_kmh"] > 5000


def test_new_source_for_user(backend: Backend) -> None:
    b = Builder()
    b.add(
        "users",
        user_id=1,
        username="alice",
        status="active",
        created_at=t("2025-01-01"),
        mfa_enabled=True,
        is_service_account=False,
    )
    b.add("roles", role_id=1, name="platform-admin", is_privileged=True)
    b.add("role_grants", grant_id=1, user_id=1, role_id=1, granted_at=t("2025-06-01"))
    b.add(
        "audit_log",
        created_at=t("2026-01-20"),
        event_type="sudo_command",
        resource="ops",
    )

    def ok(when: str, user: str, ip: str) -> None:
        attempt(b, when, ip, user, success=True)

    # root: A on 02-01 (first ever: not a finding), B on 02-05 (new), A again on 02-20
    # (last seen 19 days before, past the 10-day look-back), C after a failure from C.
    ok("2026-02-01 09:00", "root", "192.0.2.1")
    ok("2026-02-05 09:00", "root", "192.0.2.2")
    ok("2026-02-20 09:00", "root", "192.0.2.1")
    attempt(b, "2026-02-06 09:00", "192.0.2.3", "root")
    ok("2026-02-07 09:00", "root", "192.0.2.3")
    # alice holds a privileged role, ops ran sudo, bob is not privileged.
    for user in ("alice", "ops", "bob"):
        ok("2026-02-02 09:00", user, "198.51.100.1")
        ok("2026-02-03 09:00", user, "198.51.100.2")
        ok("2026-02-04 09:00", user, "198.51.100.2")
    b.write(backend.url)

    found = detect(backend.url, "new_source_for_user")
    pairs = list(zip(found["username"], found["client_ip"], strict=True))

    assert pairs == [
        ("alice", "198.51.100.2"),
        ("ops", "198.51.100.2"),
        ("root", "192.0.2.2"),
        ("root", "192.0.2.3"),
        ("root", "192.0.2.1"),
    ]
    assert found["previous_ip"].tolist()[2:] == ["192.0.2.1", "192.0.2.2", "192.0.2.3"]
    everyone = detect(backend.url, "new_source_for_user", privileged_only=False)
    assert ("bob", "198.51.100.2") in set(
        zip(everyone["username"], everyone["client_ip"], strict=True)
    )
    whole = detect(backend.url, "new_source_for_user", lookback_days=36500)
    assert ("root", "192.0.2.1") not in set(
        zip(whole["username"], whole["client_ip"], strict=True)
    )


def test_off_hours_privileged_logins(backend: Backend) -> None:
    b = Builder()
    # Monday 2 February: 07:00 UTC is before 08:30; 12:00 is in hours; 18:00 is at the
    # close; Saturday 7 February is a weekend. In Europe/Berlin (UTC+1 in winter) 07:30
    # UTC is 08:30 local, in hours, and 17:30 UTC is 18:30 local, after hours.
    for when in (
        "2026-02-02 07:00",
        "2026-02-02 07:30",
        "2026-02-02 12:00",
        "2026-02-02 17:30",
        "2026-02-02 18:00",
        "2026-02-07 12:00",
    ):
        attempt(b, when, "192.0.2.9", "root", success=True)
    attempt(b, "2026-02-02 03:00", "192.0.2.9", "bob", success=True)
    b.write(backend.url)

    found = detect(backend.url, "off_hours_privileged_logins")
    berlin = detect(
        backend.url, "off_hours_privileged_logins", time_zone="Europe/Berlin"
    )

    assert list(zip(found["login_at"], found["reason"], strict=True)) == [
        (t("2026-02-02 07:00"), "before hours"),
        (t("2026-02-02 07:30"), "before hours"),
        (t("2026-02-02 18:00"), "after hours"),
        (t("2026-02-07 12:00"), "weekend"),
    ]
    assert list(zip(berlin["login_at"], berlin["reason"], strict=True)) == [
        (t("2026-02-02 07:00"), "before hours"),
        (t("2026-02-02 17:30"), "after hours"),
        (t("2026-02-02 18:00"), "after hours"),
        (t("2026-02-07 12:00"), "weekend"),
    ]
    assert berlin["local_time"].iloc[0].startswith("2026-02-02 08:00:00")


def _user(
    b: Builder, user_id: int, name: str, status: str = "active", **extra: Any
) -> None:
    b.add(
        "users",
        user_id=user_id,
        username=name,
        status=status,
        created_at=t("2025-01-01"),
        mfa_enabled=True,
        is_service_account=False,
        **extra,
    )


def test_logins_to_inactive_accounts(backend: Backend) -> None:
    b = Builder()
    _user(b, 1, "gone", status="terminated", terminated_at=t("2026-02-10"))
    _user(b, 2, "off", status="disabled")
    _user(b, 3, "held")
    _user(b, 4, "freed")
    _user(b, 5, "sleeper")
    _user(b, 6, "napper")

    def ok(when: str, user: str, user_id: int | None) -> None:
        attempt(b, when, "100.64.0.1", user, success=True, user_id=user_id)

    ok("2026-02-09 09:00", "gone", 1)  # before leaving: not listed
    ok("2026-02-11 09:00", "gone", 1)  # after: terminated
    ok("2026-02-05 09:00", "off", 2)  # disabled now
    b.add(
        "audit_log",
        created_at=t("2026-02-06 10:00"),
        resource="held",
        event_type="account_locked",
    )
    ok("2026-02-06 10:10", "held", 3)  # 10 min after a lock: locked
    ok("2026-02-06 11:00", "held", 3)  # 60 min after: the 30-minute lock is over
    b.add(
        "audit_log",
        created_at=t("2026-02-06 10:00"),
        resource="freed",
        event_type="account_locked",
    )
    b.add(
        "audit_log",
        created_at=t("2026-02-06 10:05"),
        resource="freed",
        event_type="account_unlocked",
    )
    ok("2026-02-06 10:10", "freed", 4)  # unlocked before: not listed
    ok("2025-10-01 09:00", "sleeper", 5)
    ok("2026-02-03 09:00", "sleeper", 5)  # 125 days after the last success: dormant
    ok("2025-11-10 09:00", "napper", 6)
    # An application's lockout event names its actor in user_id, not the locked account.
    b.add(
        "audit_log", created_at=t("2026-02-07 08:55"), user_id=6, event_type="lockout"
    )
    ok("2026-02-07 09:00", "napper", 6)  # 89 days: not dormant
    ok("2025-10-01 09:00", "ghost", None)
    ok("2026-02-03 09:00", "ghost", None)  # a log-only name, 125 days: dormant
    b.write(backend.url)

    found = detect(backend.url, "logins_to_inactive_accounts")
    rows = list(
        zip(found["username"], found["reason"], found["is_closed_account"], strict=True)
    )

    assert rows == [
        ("ghost", "dormant", False),
        ("sleeper", "dormant", False),
        ("off", "disabled", True),
        ("held", "locked", True),
        ("gone", "terminated", True),
    ]
    assert found.set_index("username").loc["sleeper", "days_inactive"] == 125


def test_lockout_not_enforced(backend: Backend) -> None:
    b = Builder()

    def fail(user: str, start: str, count: int, reason: str = "bad_password") -> None:
        for when in series(start, 60, count):
            attempt(b, when, "192.0.2.77", user, reason=reason)

    fail("x1", "2026-02-10 10:00", 11)  # 11 in a row, no lockout
    fail("x2", "2026-02-10 10:00", 10)
    attempt(b, "2026-02-10 10:20", "192.0.2.77", "x2", success=True)
    fail("x2", "2026-02-10 10:30", 10)  # two runs of 10
    fail("x3", "2026-02-10 10:00", 11)
    b.add(
        "audit_log",
        created_at=t("2026-02-10 10:05"),
        event_type="account_locked",
        resource="x3",
    )  # locked during the run
    fail("x4", "2026-02-10 10:00", 10)
    fail("x4", "2026-02-10 10:10", 2, reason="account_locked")  # refused: locked
    fail("x5", "2026-02-10 10:00", 15, reason="unknown_user")  # not an account
    fail("x6", "2026-01-31 23:54", 11)  # 6 in January, the 11th at 00:04 in February
    fail("x7", "2026-01-20 10:00", 11)  # passed 10 in January
    b.write(backend.url)

    found = detect(backend.url, "lockout_not_enforced").set_index("username")

    assert sorted(found.index) == ["x1", "x6"]
    assert found.loc["x1", "failures_in_run"] == 11
    assert found.loc["x1", "exceeded_at"] == t("2026-02-10 10:10")
    assert not found.loc["x1", "ended_by_success"]
    assert found.loc["x6", "exceeded_at"] == t("2026-02-01 00:04")


def test_privilege_changes(backend: Backend) -> None:
    b = Builder()
    _user(b, 1, "alice")
    _user(b, 2, "bob")
    b.add("roles", role_id=1, name="platform-admin", is_privileged=True)
    b.add("roles", role_id=2, name="viewer", is_privileged=False)
    # alice's grant has its audit event 2 minutes later; bob's has none; viewer is not
    # privileged.
    b.add(
        "role_grants",
        grant_id=1,
        user_id=1,
        role_id=1,
        granted_at=t("2026-02-10 09:00"),
        granted_by=2,
    )
    b.add(
        "audit_log",
        created_at=t("2026-02-10 09:02"),
        user_id=1,
        event_type="role_granted",
    )
    b.add(
        "role_grants",
        grant_id=2,
        user_id=2,
        role_id=1,
        granted_at=t("2026-02-11 09:00"),
        granted_by=1,
    )
    b.add(
        "role_grants",
        grant_id=3,
        user_id=2,
        role_id=2,
        granted_at=t("2026-02-12 09:00"),
    )
    b.add(
        "audit_log",
        created_at=t("2026-02-13 09:00"),
        event_type="group_member_added",
        resource="sudo",
        details='{"account": "eve", "group": "sudo"}',
    )
    b.add(
        "audit_log",
        created_at=t("2026-02-13 10:00"),
        event_type="group_member_added",
        resource="developers",
        details='{"account": "eve"}',
    )
    b.add(
        "audit_log",
        created_at=t("2026-02-14 09:00"),
        event_type="privilege_change",
        resource="regress_user1",
        details='{"command": "GRANT ROLE", "class": "ROLE"}',
    )
    b.add(
        "audit_log",
        created_at=None,
        event_type="privilege_change",
        resource="r2",
        details='{"command": "CREATE ROLE"}',
    )
    b.write(backend.url)

    found = detect(backend.url, "privilege_changes")

    assert found["kind"].tolist() == [
        "role_grant",
        "role_grant",
        "group_member_added",
        "privilege_change",
    ]
    assert found["username"].fillna("-").tolist() == ["alice", "bob", "eve", "-"]
    assert found["is_unlogged"].tolist() == [False, True, False, False]
    assert found["privilege"].tolist() == [
        "platform-admin",
        "platform-admin",
        "sudo",
        "regress_user1",
    ]
    assert found["command"].tolist()[2:] == ["group_member_added", "GRANT ROLE"]
    assert found["changed_by_username"].fillna("-").tolist() == [
        "bob",
        "alice",
        "-",
        "-",
    ]
