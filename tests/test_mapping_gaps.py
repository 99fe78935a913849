"""A mapping that leaves data out, mistypes a column or keeps foreign values never passes.

The database is a small "app" layout (people, signins, events) built by hand, so every
figure below is counted from the rows written here.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
import sqlalchemy as sa
import sqlglot

from nexus_audit import SchemaError, query_columns, run_audit
from nexus_audit.config import Settings
from nexus_audit.database import type_family
from nexus_audit.doctor import diagnose
from nexus_audit.report import ReportOptions, render_html
from nexus_audit.results import Status

from .conftest import Backend
from .test_e2e import MONTH

LAYOUT = """
CREATE TABLE people (id integer, login text, email text, state text,
                     created timestamptz, last_seen timestamptz);
CREATE TABLE signins (id bigint, ts timestamptz, person_id bigint, login text,
                      ok boolean, source_ip text, reason text);
CREATE TABLE events (event_id bigint, ts timestamptz, actor_id bigint, actor text,
                     action text, target text, outcome text, ip text);
INSERT INTO people VALUES
  (1, 'alice', 'a@x.example', 'ENABLED', '2024-01-01 00:00+00', '2026-11-20 09:00+00'),
  (2, 'bob', 'b@x.example', 'ENABLED', '2024-01-01 00:00+00', '2026-11-21 09:00+00'),
  (3, 'carol', 'c@x.example', 'DISABLED', '2024-01-01 00:00+00', '2025-01-01 09:00+00');
INSERT INTO signins VALUES
  (1, '2026-11-20 09:00+00', 1, 'alice', true, '10.0.0.1', NULL),
  (2, '2026-11-21 09:00+00', 2, 'bob', true, '10.0.0.2', NULL);
INSERT INTO events VALUES
  (1, '2026-11-20 09:00+00', 1, 'alice', 'LOGIN_OK', 'portal', 'OK', '10.0.0.1'),
  (2, '2026-11-21 09:00+00', 2, 'bob', 'LOGIN_OK', 'portal', 'OK', '10.0.0.2')
"""

USERS = {
    "table": "people",
    "columns": {
        "user_id": "id",
        "username": "login",
        "status": "state",
        "created_at": "created",
        "last_login_at": "last_seen",
    },
    "absent": [
        "mfa_enabled",
        "password_changed_at",
        "is_service_account",
        "terminated_at",
    ],
    "values": {"status": {"ENABLED": "active", "DISABLED": "disabled"}},
}
SIGNINS = {
    "table": "signins",
    "columns": {
        "user_id": "person_id",
        "created_at": "ts",
        "username": "login",
        "success": "ok",
        "client_ip": "source_ip",
        "failure_reason": "reason",
    },
    "absent": ["mfa_used", "user_agent", "country"],
}
EVENTS = {
    "table": "events",
    "columns": {
        "id": "event_id",
        "created_at": "ts",
        "user_id": "actor_id",
        "event_type": "action",
        "actor_ip": "ip",
        "resource": "target",
    },
    "absent": ["details"],
    "values": {
        "event_type": {"LOGIN_OK": "login_success"},
        "outcome": {"OK": "success"},
    },
}


def mapping(**changes: dict[str, Any]) -> dict[str, Any]:
    tables = {"users": USERS, "login_attempts": SIGNINS, "audit_log": EVENTS}
    return {name: {**entry, **changes.get(name, {})} for name, entry in tables.items()}


@pytest.fixture
def app(backend: Backend) -> Backend:
    engine = sa.create_engine(backend.url)
    with engine.begin() as connection:
        for statement in LAYOUT.split(";"):
            connection.exec_driver_sql(statement)
    engine.dispose()
    return backend


def control(result: Any, control_id: str) -> Any:
    return next(c for c in result.controls if c.control_id == control_id)


def test_absent_columns_read_no_data_not_pass(app: Backend) -> None:
    result = run_audit(app.url, MONTH, settings=Settings(mapping=mapping()))

    # PCI-8.3.9 judges single_factor_password_age, which reads three absent columns.
    mfa = control(result, "PCI-8.3.9")
    assert mfa.status is Status.NO_DATA
    assert (
        "column users.is_service_account is absent (mapping.users.absent); "
        "column users.mfa_enabled is absent (mapping.users.absent); "
        "column users.password_changed_at is absent (mapping.users.absent)"
    ) in mfa.reason

    leavers = control(result, "PCI-8.2.5")
    assert leavers.status is Status.NO_DATA
    assert "column users.terminated_at is absent (mapping.users.absent)" in leavers.reason

    runs = {run.name: run for run in result.queries}
    assert runs["terminated_access"].status == "missing_column"
    assert runs["single_factor_password_age"].status == "missing_column"
    # Queries reading only mapped columns still run: period_activity counts 2 logins.
    assert runs["period_activity"].status == "ok"


def test_mapped_column_of_the_wrong_type_fails_before_any_query(app: Backend) -> None:
    events = {"columns": {**EVENTS["columns"], "user_id": "actor"}}

    with pytest.raises(
        SchemaError,
        match=r"mapping\.audit_log\.columns\.user_id' = 'actor' is text .* in events, "
        r"the model's audit_log\.user_id needs integer",
    ):
        run_audit(app.url, MONTH, settings=Settings(mapping=mapping(audit_log=events)))


def test_untranslated_status_values_are_warned(app: Backend) -> None:
    users = {"values": {}}
    settings = Settings(mapping=mapping(users=users))

    result = run_audit(app.url, MONTH, settings=settings)
    found = diagnose(app.url, MONTH, settings=settings)

    expected = (
        "Column users.status (read from people) holds values the model does not know: "
        "'ENABLED' (2 rows), 'DISABLED' (1 rows); the model's values are active, "
        "locked, disabled, terminated. Translate them in 'mapping.users.values.status'"
    )
    assert [w for w in result.warnings if w.startswith(expected)]
    assert [w for w in found.warnings if w.startswith(expected)]


def test_translated_values_give_no_warning(app: Backend) -> None:
    result = run_audit(app.url, MONTH, settings=Settings(mapping=mapping()))

    assert not [w for w in result.warnings if "values the model does not know" in w]


def test_absent_tables_log_one_warning(
    app: Backend, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="nexus_audit"):
        run_audit(app.url, MONTH, settings=Settings(mapping=mapping()))

    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    per_query = [r for r in caplog.records if "not run:" in r.getMessage()]
    summary = [r for r in warnings if "queries read 'no data'" in r.getMessage()]
    assert len(summary) == 1
    assert per_query and all(r.levelno == logging.INFO for r in per_query)
    assert not [r for r in warnings if "not run:" in r.getMessage()]


def test_methodology_shows_the_mapping(app: Backend) -> None:
    result = run_audit(app.url, MONTH, settings=Settings(mapping=mapping()))

    page = render_html(result, options=ReportOptions(sample_rows=0))
    section = page[page.index("Mapping to the audited schema") :]
    section = section[: section.index("</table>")]

    rows = re.findall(r"<tr>\s*<td><code>(\w+)</code></td>\s*<td><code>(\w+)</code>", section)
    assert rows == [
        ("audit_log", "events"),
        ("login_attempts", "signins"),
        ("users", "people"),
    ]
    assert "<code>user_id</code> ← <code>id</code>" in section
    assert "<code>terminated_at</code>" in section
    assert "ENABLED → active" in section
    assert result.mapping["users"].table == "people"
    reread = type(result).model_validate_json(result.model_dump_json())
    assert reread.mapping == result.mapping


@pytest.mark.parametrize(
    ("data_type", "family"),
    [
        ("bigint", "integer"),
        ("INTEGER", "integer"),
        ("HUGEINT", "integer"),
        ("character varying", "text"),
        ("VARCHAR", "text"),
        ("timestamp with time zone", "timestamp"),
        ("TIMESTAMP", "timestamp"),
        ("boolean", "boolean"),
        ("double precision", "numeric"),
        ("DECIMAL(18,3)", "numeric"),
        ("interval", "interval"),
        ("date", "date"),
        ("point", None),
        ("USER-DEFINED", None),
    ],
)
def test_type_families_of_both_engines(data_type: str, family: str | None) -> None:
    assert type_family(data_type) == family


def test_unparsable_sql_falls_back_to_names() -> None:
    # sqlglot rejects this; every model column named as a word counts as read.
    sql = "SELECT mfa_enabled, status FROM users WHERE (("
    with pytest.raises(sqlglot.errors.ParseError):
        sqlglot.parse_one(sql, read="postgres")

    reads = query_columns._parsed("odd", sql, ("users",))

    assert reads == {"users": frozenset({"mfa_enabled", "status"})}
