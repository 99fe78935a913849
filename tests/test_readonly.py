"""A PostgreSQL role holding only SELECT on the audited tables can produce the report."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from nexus_audit import DatabaseError, audit_report
from nexus_audit.config import Settings
from nexus_audit.database import open_engine, snapshot

from .conftest import Backend
from .scenario import PERIOD, february


@pytest.fixture
def reader_url(postgres_backend: Backend) -> Iterator[str]:
    """The README's minimal grants, given to a new login role."""
    february().write(postgres_backend.url)
    role = f"reader_{uuid.uuid4().hex[:10]}"
    url = make_url(postgres_backend.url)
    schema = url.query["options"].split("=", 1)[1]

    admin = sa.create_engine(postgres_backend.url)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE ROLE "{role}" LOGIN'))
        connection.execute(sa.text(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"'))
        connection.execute(
            sa.text(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"')
        )

    try:
        yield url.set(username=role).render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP OWNED BY "{role}"'))
            connection.execute(sa.text(f'DROP ROLE "{role}"'))
        admin.dispose()


def test_select_only_role_writes_the_full_report(
    reader_url: str, tmp_path: Path
) -> None:
    result, paths = audit_report(
        reader_url, PERIOD, out_dir=tmp_path, settings=Settings()
    )

    assert result.is_complete
    assert paths["pdf"].stat().st_size > 0


def test_select_only_role_cannot_write(reader_url: str) -> None:
    engine = open_engine(reader_url)

    with pytest.raises(DatabaseError, match="read-only transaction|permission denied"):
        with snapshot(engine, statement_timeout_s=5, lock_timeout_s=1) as connection:
            connection.execute(sa.text("UPDATE users SET status = 'active'"))
    engine.dispose()
