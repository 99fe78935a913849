"""The demo generator: planted incidents, a clean background, determinism, safety.

The expected values are those of the demo's specification, written out here rather
than read from ``nexus_audit.demo``, so a change to the generator cannot quietly move
the target. One small demo (50,000 events) is built once into a DuckDB file.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
import sqlalchemy as sa

from nexus_audit.demo import INJECTED, DemoSummary, build_demo, plan_demo
from nexus_audit.errors import ConfigError
from nexus_audit.model import metadata
from nexus_audit.period import Period

from .conftest import Backend

P = Period.month(2026, 11)
EVENTS = 50_000
ATTACKERS = ("203.0.113.66", "198.51.100.23", "192.0.2.77")
BOUNDS = {"start": P.start, "end": P.end}


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """``D(day)`` of the spec: the period start plus ``day`` days, at a UTC time."""
    return P.start + timedelta(days=day, hours=hour, minutes=minute, seconds=second)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[DemoSummary, Path]:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"

    return build_demo(f"duckdb:///{path}", P, events=EVENTS), path


class Db:
    """The built demo, queried with the period bound to ``$start`` and ``$end``."""

    def __init__(self, path: Path) -> None:
        self.connection = duckdb.connect(str(path), read_only=True)
        self.connection.execute("SET TimeZone = 'UTC'")

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        used = {k: v for k, v in BOUNDS.items() if f"${k}" in sql}

        return self.connection.execute(sql, used).fetchall()

    def one(self, sql: str) -> Any:
        return self.rows(sql)[0][0]


@pytest.fixture(scope="module")
def db(built: tuple[DemoSummary, Path]) -> Iterator[Db]:
    database = Db(built[1])
    yield database
    database.connection.close()


@pytest.fixture(scope="module")
def summary(built: tuple[DemoSummary, Path]) -> DemoSummary:
    return built[0]


def test_brute_force(db: Db) -> None:
    found = db.rows("""
        SELECT count(*), count(user_id), min(created_at), max(created_at),
               list(DISTINCT failure_reason), list(DISTINCT username ORDER BY username)
        FROM login_attempts WHERE client_ip = '203.0.113.66'
          AND created_at >= $start AND created_at < $end AND NOT success""")
    names = sorted(
        "admin root administrator test oracle postgres guest user "
        "support backup ftp operator".split()
    )

    taken = db.one(f"SELECT count(*) FROM users WHERE username IN {tuple(names)}")
    events = db.rows("""
        SELECT count(*), count(user_id) FROM audit_log
        WHERE actor_ip = '203.0.113.66' AND event_type = 'failed_login'
          AND outcome = 'failure'""")

    assert found == [(240, 0, at(9, 2, 10), at(9, 2, 29, 55), ["unknown_user"], names)]
    assert taken == 0
    assert events == [(240, 0)]


def test_password_spray(db: Db, summary: DemoSummary) -> None:
    found = db.rows("""
        SELECT count(*), count(DISTINCT l.user_id), min(l.created_at),
               max(l.created_at), bool_and(NOT l.success),
               bool_and(l.failure_reason = 'bad_password'),
               bool_and(u.status = 'active' AND NOT u.is_service_account)
        FROM login_attempts l JOIN users u USING (user_id)
        WHERE l.client_ip = '198.51.100.23'""")
    privileged = db.one("""
        SELECT count(*) FROM role_grants g JOIN roles r USING (role_id)
        WHERE r.is_privileged AND g.user_id IN (
            SELECT user_id FROM login_attempts WHERE client_ip = '198.51.100.23')""")

    audited = db.one(
        "SELECT count(DISTINCT user_id) FROM audit_log WHERE actor_ip = '198.51.100.23'"
    )

    assert found == [(60, 60, at(14, 23, 40), at(14, 23, 59, 40), True, True, True)]
    assert privileged == 0
    assert audited == 60
    assert len(set(summary.injected.spray_user_ids)) == 60


def test_account_takeover(db: Db, summary: DemoSummary) -> None:
    user = summary.injected.takeover_user_id
    attack = db.rows(f"""
        SELECT success, count(*), min(created_at), max(created_at),
               list(DISTINCT country), bool_or(mfa_used)
        FROM login_attempts WHERE client_ip = '192.0.2.77' AND user_id = {user}
        GROUP BY success ORDER BY success""")
    quiet = db.one(f"""
        SELECT count(*) FROM audit_log WHERE user_id = {user}
          AND actor_ip <> '192.0.2.77'
          AND event_type IN ('failed_login', 'permission_denied', 'login_success')
          AND created_at >= $start + INTERVAL 20 DAY
          AND created_at < $start + INTERVAL 20 DAY + INTERVAL 6 HOUR""")
    home = db.rows(f"""
        SELECT DISTINCT u.status, l.country FROM users u JOIN login_attempts l
        USING (user_id) WHERE user_id = {user} AND l.client_ip <> '192.0.2.77'""")

    assert attack == [
        (False, 14, at(20, 3, 0), at(20, 3, 26), ["RU"], False),
        (True, 1, at(20, 3, 30), at(20, 3, 30), ["RU"], False),
    ]
    assert quiet == 0
    assert home == [("active", "GB")]


def test_dormant_accounts(db: Db, summary: DemoSummary) -> None:
    idle = db.rows("""
        SELECT user_id, date_diff('day', last_login_at, $end) FROM users
        WHERE status = 'active' AND last_login_at < $end - INTERVAL 90 DAY
        ORDER BY user_id""")
    disabled = db.rows("""
        SELECT user_id FROM users WHERE status = 'disabled'
          AND last_login_at BETWEEN $end - INTERVAL 300 DAY
                                AND $end - INTERVAL 100 DAY""")
    later = db.one("""
        SELECT count(*) FROM login_attempts l JOIN users u USING (user_id)
        WHERE l.created_at > u.last_login_at""")

    assert len(idle) == 7
    assert all(100 <= days <= 300 for _, days in idle)
    assert tuple(user for user, _ in idle) == summary.injected.dormant_user_ids
    assert set(summary.injected.dormant_disabled_user_ids) <= {u for (u,) in disabled}
    assert later == 0


def test_last_logins_are_recorded(db: Db) -> None:
    mismatched = db.one("""
        SELECT count(*) FROM users u LEFT JOIN (
            SELECT user_id, max(created_at) AS seen FROM login_attempts
            WHERE success GROUP BY user_id) l USING (user_id)
        WHERE u.last_login_at >= $start - INTERVAL 12 MONTH
          AND l.seen IS DISTINCT FROM u.last_login_at""")
    stale = db.one("""
        SELECT count(*) FROM users WHERE status IN ('active', 'locked')
          AND last_login_at >= $end - INTERVAL 90 DAY
          AND NOT (last_login_at >= $end - INTERVAL 30 DAY AND last_login_at < $end)""")
    after_leaving = db.one("""
        SELECT count(*) FROM login_attempts l JOIN users u USING (user_id)
        WHERE l.created_at >= u.terminated_at""")

    assert (mismatched, stale, after_leaving) == (0, 0, 0)


def test_privileged_without_mfa(db: Db, summary: DemoSummary) -> None:
    held = """
        SELECT DISTINCT u.user_id FROM users u
        JOIN role_grants g USING (user_id) JOIN roles r USING (role_id)
        WHERE r.is_privileged AND NOT u.mfa_enabled AND NOT u.is_service_account
          AND u.status = 'active' AND g.granted_at < $end {revoked}
        ORDER BY 1"""
    at_end = db.rows(
        held.format(revoked="AND (g.revoked_at IS NULL OR g.revoked_at >= $end)")
    )
    ever = db.rows(held.format(revoked=""))

    assert [u for (u,) in at_end] == list(summary.injected.without_mfa_user_ids)
    assert len(at_end) == 3
    assert len(ever) == 4
    assert summary.injected.revoked_without_mfa_user_id in {u for (u,) in ever}


def test_grants(db: Db, summary: DemoSummary) -> None:
    improper = db.rows("""
        SELECT grant_id, granted_at >= $start AND granted_at < $end,
               approved_by = user_id AND granted_by = user_id
        FROM role_grants
        WHERE approved_by IS NULL OR granted_by IS NULL OR approved_by = user_id""")
    in_period = db.one(
        "SELECT count(*) FROM role_grants "
        "WHERE granted_at >= $start AND granted_at < $end",
    )

    assert improper == [(summary.injected.self_approved_grant_id, True, True)]
    assert 25 <= in_period <= 40


def test_grants_do_not_depend_on_events() -> None:
    small = plan_demo(P, events=1_000).tables["role_grants"]
    large = plan_demo(P, events=5_000_000).tables["role_grants"]

    pd.testing.assert_frame_equal(small, large)


def test_late_request(db: Db, summary: DemoSummary) -> None:
    late = db.rows("""
        SELECT request_id, received_at, extended_at, completed_at
        FROM data_subject_requests
        WHERE coalesce(completed_at, $end) > received_at
              + CASE WHEN extended_at IS NULL THEN INTERVAL 1 MONTH
                     ELSE INTERVAL 3 MONTH END""")
    received = datetime(2026, 10, 3, 10, tzinfo=UTC)

    assert late == [(summary.injected.late_request_id, received, None, at(11, 16))]


def test_breaches(db: Db, summary: DemoSummary) -> None:
    breaches = db.rows("""
        SELECT incident_id, severity, detected_at, acknowledged_at, resolved_at,
               aware_at, date_diff('minute', aware_at, authority_notified_at)
        FROM security_incidents WHERE is_personal_data_breach ORDER BY detected_at""")
    *background, late = breaches

    assert late == (
        summary.injected.late_breach_incident_id,
        "SEV-2",
        at(9, 8),
        at(9, 8, 20),
        at(9, 15),
        at(10, 9),
        96 * 60,
    )
    assert 3 <= len(background) <= 5
    assert all(24 * 60 <= minutes <= 60 * 60 for *_, minutes in background)


def test_incidents_past_target(db: Db, summary: DemoSummary) -> None:
    targets = (
        "(VALUES ('SEV-1', 15, 240), ('SEV-2', 30, 480), "
        "('SEV-3', 120, 1440), ('SEV-4', 240, 4320)) t(severity, ack, fix)"
    )
    late = db.rows(f"""
        SELECT incident_id, severity, detected_at,
               date_diff('minute', detected_at, acknowledged_at),
               date_diff('minute', detected_at, resolved_at)
        FROM security_incidents JOIN {targets} USING (severity)
        WHERE date_diff('minute', detected_at, acknowledged_at) > ack
           OR date_diff('minute', detected_at, resolved_at) > fix
        ORDER BY detected_at""")

    assert late == [
        (summary.injected.past_target_incident_ids[0], "SEV-2", at(5, 14), 50, 360),
        (summary.injected.past_target_incident_ids[1], "SEV-3", at(17, 9), 60, 1800),
    ]


def test_background_stays_under_the_thresholds(db: Db) -> None:
    per_hour = """
        SELECT coalesce(max(n), 0) FROM (
            SELECT {key}, date_trunc('hour', created_at), count(*) AS n
            FROM {table} WHERE {where} GROUP BY ALL)"""
    attackers = f"({', '.join(repr(ip) for ip in ATTACKERS)})"
    background = f"client_ip NOT IN {attackers}"

    def most(key: str, table: str, where: str) -> int:
        return int(db.one(per_hour.format(key=key, table=table, where=where)))

    assert most("user_id", "login_attempts", background) <= 4
    assert most("user_id", "login_attempts", f"NOT success AND {background}") <= 1
    assert most("client_ip", "login_attempts", f"NOT success AND {background}") <= 1
    assert most("user_id", "audit_log", "event_type = 'permission_denied'") <= 1
    failed = f"event_type = 'failed_login' AND actor_ip NOT IN {attackers}"
    assert most("user_id", "audit_log", failed) <= 1


def test_audit_log_mirrors_logins(db: Db) -> None:
    unmatched = db.one("""
        SELECT count(*) FROM login_attempts l ANTI JOIN audit_log a
        ON a.created_at = l.created_at AND a.actor_ip = l.client_ip
        AND a.user_id IS NOT DISTINCT FROM l.user_id
        AND a.event_type = CASE WHEN l.success THEN 'login_success'
                                ELSE 'failed_login' END""")
    anonymous = db.rows("SELECT DISTINCT actor_ip FROM audit_log WHERE user_id IS NULL")

    assert unmatched == 0
    assert anonymous == [("203.0.113.66",)]


def test_addresses_are_reserved(db: Db) -> None:
    home = [ipaddress.ip_network(n) for n in ("100.64.0.0/10", "2001:db8::/32")]
    documentation = [
        ipaddress.ip_network(n)
        for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")
    ]
    seen = db.rows(
        "SELECT DISTINCT client_ip FROM login_attempts UNION "
        "SELECT DISTINCT actor_ip FROM audit_log WHERE actor_ip IS NOT NULL",
    )
    shared = db.one("""
        SELECT count(*) FROM (SELECT client_ip FROM login_attempts
        WHERE user_id IS NOT NULL GROUP BY client_ip
        HAVING count(DISTINCT user_id) > 1)""")

    for (text,) in seen:
        address = ipaddress.ip_address(text)
        ranges = documentation if text in ATTACKERS else home
        assert any(address in network for network in ranges), text
    assert shared == 1  # only the spray's address touches several accounts


def test_volumes(db: Db, built: tuple[DemoSummary, Path]) -> None:
    logins = db.rows("""
        SELECT count(*) FILTER (WHERE created_at >= $start),
               count(*) FILTER (WHERE created_at >= $start - INTERVAL 1 MONTH
                                  AND created_at < $start),
               count(*) FILTER (WHERE created_at < $start - INTERVAL 1 MONTH)
        FROM login_attempts""")[0]
    audit = db.one("SELECT count(*) FROM audit_log WHERE created_at >= $start")
    statuses = dict(db.rows("SELECT status, count(*) FROM users GROUP BY 1"))

    assert abs(logins[0] - EVENTS / 5) < 0.1 * EVENTS / 5
    assert abs(logins[1] - EVENTS / 5) < 0.1 * EVENTS / 5
    assert 0.5 * 11 * EVENTS / 500 < logins[2] < 2 * 11 * EVENTS / 500
    assert abs(audit - EVENTS) < 0.05 * EVENTS
    assert sum(statuses.values()) == 5_000
    assert 4_500 <= statuses["active"] <= 4_700
    assert 30 <= statuses["locked"] <= 50
    assert 180 <= statuses["disabled"] <= 220
    assert 130 <= statuses["terminated"] <= 170
    assert built[0].rows["users"] == 5_000
    assert built[0].rows["audit_log"] == db.one("SELECT count(*) FROM audit_log")


def test_people(db: Db) -> None:
    found = db.rows("""
        SELECT count(*) FILTER (WHERE is_service_account),
               count(*) FILTER (WHERE is_service_account AND mfa_enabled),
               avg(mfa_enabled::INT) FILTER (WHERE NOT is_service_account),
               count(DISTINCT username),
               count(*) FILTER (WHERE NOT regexp_full_match(username, '[a-z0-9.-]+')),
               count(*) FILTER (WHERE password_changed_at < $end - INTERVAL 400 DAY
                                  AND status = 'active'),
               count(*) FILTER (WHERE status = 'terminated' AND terminated_at IS NULL)
        FROM users""")[0]
    grantees = db.one(
        "SELECT count(DISTINCT user_id) FROM role_grants "
        "JOIN roles USING (role_id) WHERE is_privileged",
    )

    assert 35 <= found[0] <= 45 and found[1] == 0
    assert 0.65 <= found[2] <= 0.75
    assert found[3:] == (5_000, 0, 0, 0)
    assert 130 <= grantees <= 170


def test_same_seed_same_frames_other_seed_other_frames() -> None:
    def frames(seed: int) -> list[pd.DataFrame]:
        plan = plan_demo(P, events=3_000, seed=seed)
        return [frame for _, batch in plan.batches() for frame in batch.values()]

    first, again, other = frames(7), frames(7), frames(8)

    assert len(first) == len(again)
    for left, right in zip(first, again, strict=True):
        pd.testing.assert_frame_equal(left, right)
    assert not first[0].equals(other[0])
    assert not first[-1].equals(other[-1])


def test_refuses_existing_tables_unless_replace(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'taken.duckdb'}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        metadata.tables["roles"].create(connection)
        connection.execute(sa.text("CREATE TABLE keep_me (x INTEGER)"))
    engine.dispose()

    with pytest.raises(ConfigError, match=r"'roles'.*replace"):
        build_demo(url, P, events=1_000)

    steps: list[tuple[str, int, int]] = []
    build_demo(
        url, P, events=1_000, replace=True, progress=lambda *step: steps.append(step)
    )

    with duckdb.connect(str(tmp_path / "taken.duckdb"), read_only=True) as connection:
        tables = {name for (name,) in connection.execute("SHOW TABLES").fetchall()}
        indexes = connection.execute("SELECT index_name FROM duckdb_indexes()")
        named = {name for (name,) in indexes.fetchall()}
    assert tables == set(metadata.tables) | {"keep_me"}
    # The event-type index is PostgreSQL's only: DuckDB's zone maps serve those filters.
    assert named == {"ix_audit_log_created_at", "ix_login_attempts_created_at"}
    assert [done for _, done, _ in steps] == list(range(1, len(steps) + 1))
    assert steps[-1] == ("indexes", len(steps), len(steps))


@pytest.mark.parametrize(
    ("period", "events", "url"),
    [
        (Period(P.start, P.start + timedelta(days=10)), 100, "duckdb:///:memory:"),
        (P, -1, "duckdb:///:memory:"),
        (P, 100, "sqlite://"),
        (P, 100, "nosuchdb://x"),
    ],
)
def test_bad_arguments(period: Period, events: int, url: str) -> None:
    with pytest.raises(ConfigError):
        build_demo(url, period, events=events)


def test_injected_matches_the_spec() -> None:
    assert (INJECTED.brute_force.ip, INJECTED.brute_force.attempts) == (
        "203.0.113.66",
        240,
    )
    assert (INJECTED.password_spray.ip, INJECTED.password_spray.users) == (
        "198.51.100.23",
        60,
    )
    assert (INJECTED.takeover.ip, INJECTED.takeover.failures) == ("192.0.2.77", 14)
    assert (INJECTED.dormancy.active_users, INJECTED.dormancy.disabled_users) == (7, 2)
    assert INJECTED.privileges.without_mfa == 3


@pytest.mark.postgres
def test_postgres_and_duckdb_hold_the_same_rows(
    postgres_backend: Backend, duckdb_backend: Backend
) -> None:
    for backend in (postgres_backend, duckdb_backend):
        build_demo(backend.url, P, events=3_000)

    for table in metadata.sorted_tables:
        key = next(iter(table.primary_key.columns)).name
        left, right = (
            _read(backend.url, table.name, key)
            for backend in (postgres_backend, duckdb_backend)
        )
        pd.testing.assert_frame_equal(left, right, check_dtype=False)


def _read(url: str, table: str, key: str) -> pd.DataFrame:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            query = sa.text(f"SELECT * FROM {table} ORDER BY {key}")
            frame = pd.read_sql(query, connection)
    finally:
        engine.dispose()

    for name in frame.columns:
        if isinstance(frame[name].dtype, pd.DatetimeTZDtype):
            frame[name] = frame[name].dt.tz_convert("UTC").dt.as_unit("us")

    return frame


@pytest.mark.slow
def test_caps_hold_at_three_million_events() -> None:
    """The per-hour limits are enforced by construction, not by a thin sample."""
    *_, (_, month) = plan_demo(P, events=3_000_000).batches()
    logins, audit = month["login_attempts"], month["audit_log"]
    logins = logins[~logins["client_ip"].isin(ATTACKERS)]
    hour = logins["created_at"].dt.floor("h")
    denied = audit[audit["event_type"] == "permission_denied"]

    assert logins.groupby(["user_id", hour]).size().max() <= 4
    failed = logins[~logins["success"]]
    assert failed.groupby(["user_id", hour[failed.index]]).size().max() == 1
    assert (
        denied.groupby(["user_id", denied["created_at"].dt.floor("h")]).size().max()
        == 1
    )
