"""Index advice: which time ranges an index (or DuckDB's zone maps) serves, and what to add.

The audited table holds 120,000 events, one every 5 minutes from 2025-11-01 (past the end
of November 2026), so a month is about 7 % of it: PostgreSQL reads such a range through
an index when one exists, and every other model table is empty, hence too small to advise
on. So the only statement the doctor can recommend is the audit log's time index.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from nexus_audit import _plans
from nexus_audit.cli import main
from nexus_audit.config import Settings
from nexus_audit.doctor import Diagnosis, _index_name, diagnose
from nexus_audit.model import metadata

from .conftest import Backend

MONTH = "2026-11"
EVENTS = (
    "INSERT INTO audit_log (id, created_at, event_type) "
    "SELECT g, TIMESTAMP WITH TIME ZONE '2025-11-01 00:00:00+00' "
    "+ CAST(g AS INTEGER) * INTERVAL '5 minutes', 'data_access' "
    "FROM generate_series(1, 120000) AS s(g)"
)

SUDO = (
    "INSERT INTO audit_log (id, created_at, event_type, resource) "
    "SELECT 1000000 + g, TIMESTAMP WITH TIME ZONE '2025-11-01 00:01:00+00' "
    "+ CAST(g AS INTEGER) * INTERVAL '5 minutes', 'sudo_command', 'root' "
    "FROM generate_series(1, CAST(:count AS INTEGER)) AS s(g)"
)


def _fill(backend: Backend, *, index: bool) -> str:
    """Create the model, load the events, and return the schema the tables are in."""
    engine = backend.engine()
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql(EVENTS)
        if not index:
            connection.exec_driver_sql("DROP INDEX ix_audit_log_created_at")
        schema = str(connection.execute(sa.text("SELECT current_schema()")).scalar())
    if backend.name == "postgres":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql("ANALYZE audit_log")
    engine.dispose()
    return schema


def _use(found: Diagnosis, query: str, table: str) -> list[tuple[str | None, str]]:
    advice = next(a for a in found.queries if a.query == query)
    assert advice.error is None
    return [(u.column, u.status) for u in advice.uses if u.table.endswith(table)]


def _index_count(backend: Backend) -> int:
    engine = backend.engine()
    with engine.connect() as connection:
        count = connection.execute(
            sa.text(
                "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema()"
            )
        ).scalar_one()
    engine.dispose()
    return int(count)


def test_a_served_range_needs_no_index(backend: Backend) -> None:
    _fill(backend, index=True)

    found = diagnose(backend.url, MONTH, settings=Settings())

    served = "index" if backend.name == "postgres" else "zone_map"
    assert _use(found, "daily_audit_summary", "audit_log") == [("created_at", served)]
    assert _use(found, "period_activity", "audit_log") == [("created_at", served)]
    if backend.name == "postgres":
        # Lock events over the whole log, no time range: the event-type index serves them.
        assert _use(found, "logins_to_inactive_accounts", "audit_log") == [
            (None, "index")
        ]
    assert found.statements == ()


def test_a_missing_index_is_recommended_and_never_created(backend: Backend) -> None:
    schema = _fill(backend, index=False)
    before = _index_count(backend) if backend.name == "postgres" else 0

    found = diagnose(backend.url, MONTH, settings=Settings())

    if backend.name == "postgres":
        assert _use(found, "daily_audit_summary", "audit_log") == [
            ("created_at", "no_index")
        ]
        assert found.statements == (
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_audit_log_created_at "
            f"ON {schema}.audit_log (created_at);",
        )
        assert _index_count(backend) == before
    else:
        # DuckDB's zone maps serve the range with or without an ART index.
        assert _use(found, "daily_audit_summary", "audit_log") == [
            ("created_at", "zone_map")
        ]
        assert found.statements == ()


@pytest.mark.parametrize(("sudo_events", "advised"), [(20, True), (120_000, False)])
def test_a_rare_event_type_read_from_the_whole_log_gets_an_index_led_by_it(
    postgres_backend: Backend, sudo_events: int, advised: bool
) -> None:
    # off_hours_privileged_logins looks up every sudo_command before the period end:
    # 20 of 120,020 events (0.02 %) is worth an index, 120,000 of 240,000 (50 %) is not.
    schema = _fill(postgres_backend, index=True)
    engine = postgres_backend.engine()
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP INDEX ix_audit_log_event_type_created_at")
        connection.execute(sa.text(SUDO), {"count": sudo_events})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.exec_driver_sql("ANALYZE audit_log")
    engine.dispose()

    found = diagnose(postgres_backend.url, MONTH, settings=Settings())

    uses = _use(found, "off_hours_privileged_logins", "audit_log")
    assert (("created_at", "filter_no_index") in uses) is advised
    # logins_to_inactive_accounts looks up lock events (none here) over the whole log
    # with no time range: an index led by event_type either way, the time column after.
    locks = _use(found, "logins_to_inactive_accounts", "audit_log")
    assert (None, "filter_no_index") in locks
    columns = "event_type, created_at" if advised else "event_type"
    index = "ix_audit_log_" + columns.replace(", ", "_")
    assert found.statements == (
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {index} ON {schema}.audit_log ({columns});",
    )


def test_advice_names_the_mapped_table_and_column(backend: Backend) -> None:
    schema = _fill(backend, index=False)
    engine = backend.engine()
    with engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE audit_log RENAME TO events")
        connection.exec_driver_sql("ALTER TABLE events RENAME COLUMN created_at TO ts")
    engine.dispose()
    mapping = {
        "audit_log": {"table": f"{schema}.events", "columns": {"created_at": "ts"}}
    }

    found = diagnose(backend.url, MONTH, settings=Settings(mapping=mapping))

    served = "no_index" if backend.name == "postgres" else "zone_map"
    assert _use(found, "daily_audit_summary", ".events") == [("ts", served)]
    if backend.name == "postgres":
        assert found.statements == (
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_events_ts ON {schema}.events (ts);",
        )


def test_a_small_table_never_analysed_is_counted_not_given_an_index(
    postgres_backend: Backend,
) -> None:
    # 500 events, no index, and no statistics: autovacuum is off for the table, so its
    # planner estimate stays "never analysed" (-1) whatever the timing.
    engine = postgres_backend.engine()
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "ALTER TABLE audit_log SET (autovacuum_enabled = false)"
        )
        connection.exec_driver_sql("DROP INDEX ix_audit_log_created_at")
        connection.exec_driver_sql(EVENTS.replace("120000", "500"))
        schema = str(connection.execute(sa.text("SELECT current_schema()")).scalar())
    engine.dispose()

    small = diagnose(postgres_backend.url, MONTH, settings=Settings())
    over = diagnose(postgres_backend.url, MONTH, settings=Settings(), min_rows=100)

    # Under the default 100,000 rows: read whole, nothing to add; over a 100-row floor the
    # count stops at 100 and the table is large.
    assert _use(small, "daily_audit_summary", "audit_log") == [("created_at", "small")]
    assert small.statements == ()
    assert _use(over, "daily_audit_summary", "audit_log") == [
        ("created_at", "no_index")
    ]
    assert over.statements == (
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_audit_log_created_at "
        f"ON {schema}.audit_log (created_at);",
    )


def test_the_command_prints_each_statement_on_one_line(backend: Backend) -> None:
    schema = _fill(backend, index=False)

    outcome = CliRunner().invoke(
        main, ["doctor", "--database", backend.url, "--month", MONTH]
    )

    assert outcome.exit_code == 0, outcome.output
    lines = outcome.output.splitlines()
    if backend.name == "postgres":
        assert (
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_audit_log_created_at "
            f"ON {schema}.audit_log (created_at);"
        ) in lines
    else:
        assert "-- none" in lines


def test_a_query_that_cannot_be_planned_exits_3_naming_it(backend: Backend) -> None:
    _fill(backend, index=True)
    engine = backend.engine()
    with engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE users DROP COLUMN last_login_at")
        connection.exec_driver_sql("ALTER TABLE users ADD COLUMN last_login_at INTEGER")
    engine.dispose()

    outcome = CliRunner().invoke(
        main, ["doctor", "--database", backend.url, "--month", MONTH]
    )

    # dormant_accounts compares users.last_login_at with a time: no engine can plan it.
    assert outcome.exit_code == 3, outcome.output
    assert "could not be planned" in outcome.output
    assert "dormant_accounts" in outcome.output.split("could not be planned")[1]


def test_only_a_bare_order_comparison_of_the_column_is_a_range() -> None:
    def ranges(condition: str, alias: str | None = "a") -> bool:
        return _plans.ranges("created_at", alias, (condition,))

    assert ranges(
        "(a.created_at >= '2026-11-01 00:00:00+00'::timestamp with time zone)"
    )
    assert ranges("((created_at < $2) AND (event_type = 'x'::text))")
    assert ranges("('2026-11-01'::timestamp with time zone <= a.created_at)")
    assert ranges('("a".created_at > u.terminated_at)')
    # Wrapped in a cast or a function, compared for (in)equality, another table's column.
    assert not ranges(
        "(((a.created_at AT TIME ZONE 'UTC'::text))::date >= '2026-11-01')"
    )
    assert not ranges("((a.created_at)::date < '2026-12-01'::date)")
    assert not ranges("(a.created_at <> '2026-11-01'::timestamp with time zone)")
    assert not ranges("(a.created_at = '2026-11-01'::timestamp with time zone)")
    assert not ranges("(b.created_at >= '2026-11-01'::timestamp with time zone)")
    assert not ranges("(a.created_at_local >= '2026-11-01')")
    assert ranges(
        "(created_at >= '2026-11-01 00:00:00+00'::TIMESTAMP WITH TIME ZONE)", None
    )


def test_only_a_column_equal_to_a_constant_is_an_index_key() -> None:
    def keys(condition: str) -> tuple[str, ...]:
        return _plans.equalities("a", (condition,))

    # PostgreSQL casts a varchar column to text in parentheses of its own.
    assert keys("((a.kind)::text = 'sudo_command'::text)") == ("kind",)
    assert keys("((a.kind)::text = ANY ('{x,y}'::text[]))") == ("kind",)
    assert keys("((a.user_id = u.user_id) AND (a.outcome = 'denied'::text))") == (
        "outcome",
    )
    assert keys("""(a."select" = 'x'::text)""") == ("select",)
    # A function of the column, another comparison, another column, another table's.
    assert keys("(lower((a.kind)::text) = 'x'::text)") == ()
    assert keys("(lower(a.kind) = 'x'::text)") == ()
    assert keys("((a.kind)::text <> 'x'::text)") == ()
    assert keys("((a.kind)::text >= 'x'::text)") == ()
    assert keys("((a.kind)::text <> ALL ('{x}'::text[]))") == ()
    assert keys("(a.kind = $1)") == ()
    assert keys("(b.kind = 'x'::text)") == ()
    assert keys("(substr(a.other, 1, 2) = 'xx'::text)") == ()
    # Only whole AND terms: not inside an OR, a test of a test, or a string.
    assert keys("((a.other = 'x'::text) OR (a.n = 1))") == ()
    assert keys("((a.other = 'x'::text) IS NOT TRUE)") == ()
    assert keys("(a.p ~~ '%user=''%'::text)") == ()
    assert keys("((a.kind)::text = 'a=''b AND c = ''d'::text)") == ("kind",)
    assert keys(
        "((a.created_at >= '2025-11-01 00:00:00+00'::timestamp with time zone) "
        "AND ((a.event_type)::text = 'sudo_command'::text) AND (a.n = 5))"
    ) == ("event_type", "n")
    assert keys("""(a."my col" = 'x'::text)""") == ("my col",)


def test_a_parallel_scans_rows_are_counted_for_all_its_processes() -> None:
    plan = {
        "Node Type": "Gather",
        "Workers Planned": 2,
        "Plan Rows": 59_000,
        "Plans": [
            {
                "Node Type": "Seq Scan",
                "Parallel Aware": True,
                "Relation Name": "audit_log",
                "Plan Rows": 24_583,
            }
        ],
    }

    # Each of 2 workers and the leader's 1 - 2 × 0.3 share: 24,583 × 2.4 = 58,999.2.
    (scan,) = _plans.postgres_scans([{"Plan": plan}])
    assert scan.rows == pytest.approx(58_999.2)


def test_index_names_past_63_bytes_stay_apart() -> None:
    table = "t" * 59
    short = _index_name("audit_log", ("event_type", "created_at"))
    one, two = (
        _index_name(table, c) for c in (("created_at",), ("kind", "created_at"))
    )

    assert short == "ix_audit_log_event_type_created_at"
    assert one != two
    assert len(one) == len(two) == 63
    assert one[:55] == two[:55] == "ix_" + "t" * 51 + "_"


def test_plan_names_are_unquoted_as_duckdb_quotes_a_file_name() -> None:
    assert _plans._duckdb_table('"demo-1000000".main.audit_log') == (
        "demo-1000000",
        "main",
        "audit_log",
    )
    assert _plans._duckdb_table('"a""b"."x.y".t') == ('a"b', "x.y", "t")
    assert _plans._duckdb_table("main.audit_log") == (None, "main", "audit_log")


def test_a_duckdb_file_with_a_hyphen_in_its_name_is_advised_on(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'platform-2026.duckdb'}"
    engine = sa.create_engine(url)
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql(EVENTS)
    engine.dispose()

    found = diagnose(url, MONTH, settings=Settings())

    # The trial found an empty table here: the quoted catalog name matched nothing.
    assert _use(found, "daily_audit_summary", "audit_log") == [
        ("created_at", "zone_map")
    ]
