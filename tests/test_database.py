"""The audit connection is read-only and reports unreachable or malformed databases."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from nexus_audit import DatabaseError, SchemaError, run_audit
from nexus_audit.config import Settings
from nexus_audit.database import open_engine, snapshot

from .conftest import Backend
from .scenario import PERIOD, february


def test_writes_through_the_audit_connection_fail(backend: Backend) -> None:
    february().write(backend.url)
    engine = open_engine(backend.url)

    with pytest.raises(DatabaseError):
        with snapshot(engine, statement_timeout_s=5, lock_timeout_s=1) as connection:
            connection.execute(sa.text("DELETE FROM audit_log"))
    engine.dispose()

    check = sa.create_engine(backend.url)
    with check.connect() as connection:
        count = connection.execute(sa.text("SELECT COUNT(*) FROM audit_log")).scalar()
    assert count == len(february().rows["audit_log"]) == 48
    check.dispose()


def test_missing_required_table_names_it(backend: Backend) -> None:
    february().write(backend.url, skip=("login_attempts",))

    with pytest.raises(SchemaError, match="login_attempts"):
        run_audit(backend.url, PERIOD, settings=Settings())


def test_missing_column_names_table_and_column(backend: Backend) -> None:
    february().write(backend.url)
    engine = sa.create_engine(backend.url)
    with engine.begin() as connection:
        connection.execute(sa.text("ALTER TABLE users DROP COLUMN email"))
    engine.dispose()

    with pytest.raises(SchemaError, match="table users lacks column.*email"):
        run_audit(backend.url, PERIOD, settings=Settings())


def test_unreachable_server_is_a_database_error() -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"

    with pytest.raises(DatabaseError, match="cannot connect"):
        run_audit(url, PERIOD, settings=Settings())


def test_password_file_is_used_and_never_shown(tmp_path: Path) -> None:
    secret = "s3cret-Pa55"
    path = tmp_path / "password"
    path.write_text(secret + "\n", encoding="utf-8")
    url = "postgresql+psycopg://auditor@127.0.0.1:1/none?connect_timeout=2"

    engine = open_engine(url, password_file=path)
    assert engine.url.password == secret
    assert secret not in repr(engine.url)

    with pytest.raises(DatabaseError) as caught:
        run_audit(url, PERIOD, settings=Settings(database_password_file=path))
    assert secret not in str(caught.value)


def test_password_in_url_is_masked_in_errors() -> None:
    with pytest.raises(DatabaseError) as caught:
        run_audit(
            "postgresql+psycopg://u:hunter22@127.0.0.1:1/x?connect_timeout=2",
            PERIOD,
            settings=Settings(),
        )
    assert "hunter22" not in str(caught.value)
