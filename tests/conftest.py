"""Shared fixtures: every scenario runs on DuckDB and on the PostgreSQL server.

PostgreSQL tests use a fresh schema per test on the server named by
``NEXUS_AUDIT_TEST_POSTGRES_URL`` (default: the local trust-auth server, database
``test``). Where no server answers they are skipped with the reason, unless
``NEXUS_AUDIT_REQUIRE_POSTGRES=1`` (set by ``.ci/run``), which turns the skip into a
failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get(
    "NEXUS_AUDIT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("NEXUS_AUDIT_REQUIRE_POSTGRES") == "1"


def _shared() -> Path:
    """The ``shared`` folder beside the repository, or beside a folder above it (a git
    worktree such as ``wt/<name>`` sits one level deeper than the main checkout)."""
    for folder in Path(__file__).resolve().parents[1:]:
        if (folder.parent / "shared").is_dir():
            return folder.parent / "shared"

    return Path(__file__).resolve().parents[2] / "shared"


SHARED = _shared()
REAL_DATA = SHARED / "data" / "real"


@dataclass(frozen=True)
class Backend:
    """A database for one test: the URL to write fixtures with and to audit."""

    name: str
    url: str

    def engine(self) -> sa.Engine:
        return sa.create_engine(self.url)


def _postgres_reason() -> str | None:
    try:
        engine = sa.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
        return f"PostgreSQL at {make_url(POSTGRES_URL).render_as_string()} unreachable: {error}"
    return None


_PG_REASON: list[str | None] = []


def postgres_unavailable() -> str | None:
    """Why PostgreSQL tests cannot run here, or None; checked once per session."""
    if not _PG_REASON:
        _PG_REASON.append(_postgres_reason())
    return _PG_REASON[0]


@pytest.fixture
def postgres_backend() -> Iterator[Backend]:
    """A fresh schema on the PostgreSQL server, dropped after the test."""
    reason = postgres_unavailable()
    if reason:
        if REQUIRE_POSTGRES:
            pytest.fail(f"NEXUS_AUDIT_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))

    url = make_url(POSTGRES_URL).update_query_dict(
        {"options": f"-csearch_path={schema}"}
    )
    try:
        yield Backend("postgres", url.render_as_string(hide_password=False))
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def duckdb_backend(tmp_path: Path) -> Backend:
    """A new DuckDB file in the test's temporary folder."""
    return Backend("duckdb", f"duckdb:///{tmp_path / 'audited.duckdb'}")


@pytest.fixture(params=["duckdb", "postgres"])
def backend(request: pytest.FixtureRequest) -> Backend:
    """Each test that asks for it runs once per database engine."""
    fixture = "duckdb_backend" if request.param == "duckdb" else "postgres_backend"
    result: Backend = request.getfixturevalue(fixture)
    return result
