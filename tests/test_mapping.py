"""A database laid out differently, audited through a mapping, gives the same findings."""

from __future__ import annotations

import tomllib
import uuid
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa

from nexus_audit import ConfigError, SchemaError, load_settings, run_audit
from nexus_audit.config import Settings
from nexus_audit.demo import build_demo

from .conftest import Backend
from .test_e2e import MONTH

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "mapped_database"
# The tables relayout.sql moves; any others stay where they are, read unmapped.
MOVED = ("consents", "data_subject_requests", "security_incidents", "role_grants",
         "roles", "login_attempts", "audit_log", "users")


def relayout(url: str, schema: str) -> None:
    """Run the example's relayout.sql into ``schema``, then drop the model's tables."""
    script = (EXAMPLE / "relayout.sql").read_text(encoding="utf-8")
    statements = [
        s for s in script.replace("app.", f"{schema}.").split(";") if s.strip()
    ]
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
        for statement in statements:
            if "CREATE SCHEMA" not in statement:
                connection.exec_driver_sql(statement)
        for table in MOVED:
            connection.exec_driver_sql(f"DROP TABLE {table}")
    engine.dispose()


def example_mapping(schema: str) -> dict[str, Any]:
    text = (EXAMPLE / "nexus-audit.toml").read_text(encoding="utf-8")
    mapping: dict[str, Any] = tomllib.loads(text.replace('"app.', f'"{schema}.'))[
        "mapping"
    ]
    return mapping


def test_mapped_layout_gives_the_same_results(backend: Backend) -> None:
    build_demo(backend.url, MONTH, events=20_000)
    standard = run_audit(backend.url, MONTH, settings=Settings())

    schema = f"app_{uuid.uuid4().hex[:8]}"
    relayout(backend.url, schema)
    try:
        mapped = run_audit(
            backend.url, MONTH, settings=Settings(mapping=example_mapping(schema))
        )
    finally:
        engine = sa.create_engine(backend.url)
        with engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        engine.dispose()

    for name in standard.evidence:
        pd.testing.assert_frame_equal(
            standard.frame(name), mapped.frame(name), obj=name
        )
    assert [(c.control_id, c.status) for c in standard.controls] == [
        (c.control_id, c.status) for c in mapped.controls
    ]
    assert mapped.is_complete


def test_missing_mapped_column_names_the_setting(backend: Backend) -> None:
    build_demo(backend.url, MONTH, events=5_000)
    mapping = {"audit_log": {"table": "audit_log", "columns": {"created_at": "ts"}}}

    with pytest.raises(
        SchemaError, match=r"'ts'.*mapping\.audit_log\.columns\.created_at"
    ):
        run_audit(backend.url, MONTH, settings=Settings(mapping=mapping))


@pytest.mark.parametrize(
    "name",
    [
        "login_attempts; DROP TABLE audit_log; --",
        'users" --',
        "a.b.c",
        "x\x00y",
        "",
    ],
)
def test_hostile_table_names_are_refused_before_any_sql(name: str) -> None:
    with pytest.raises(ConfigError, match="mapping"):
        load_settings(mapping={"users": {"table": name}})


def test_hostile_column_name_is_refused() -> None:
    with pytest.raises(ConfigError, match="not allowed"):
        load_settings(
            mapping={
                "users": {"table": "users", "columns": {"status": 'status" OR 1=1 --'}}
            }
        )


def test_unknown_model_names_are_refused() -> None:
    with pytest.raises(ConfigError, match="mapping.userz"):
        run_audit(
            "duckdb:///:memory:",
            MONTH,
            settings=Settings(mapping={"userz": {"table": "accounts"}}),
        )
