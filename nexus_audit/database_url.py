"""The audited database's URL, from ``database_url`` or built from its ``[database]`` parts.

Parts go through :meth:`sqlalchemy.engine.URL.create`, never string formatting, so a user
name, password or path with ``@``, ``/`` or ``:`` needs no quoting. Options become the
URL's query, which SQLAlchemy's psycopg dialect hands to libpq as connection keywords.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

from .config import DatabaseParts, Settings


def settings_url(settings: Settings) -> str | sa.URL | None:
    """The URL the settings name, or None when they name no database."""
    if settings.database_url:
        return settings.database_url
    if settings.database is None:
        return None

    return parts_url(settings.database)


def parts_url(parts: DatabaseParts) -> sa.URL:
    """A SQLAlchemy URL from the parts; with no password, libpq finds one itself."""
    password = parts.password.get_secret_value() if parts.password else None
    query = {name: str(value) for name, value in sorted(parts.options.items())}

    return sa.URL.create(
        parts.driver,
        username=parts.user,
        password=password,
        host=parts.host,
        port=parts.port,
        database=parts.dbname,
        query=query,
    )


def password_source(settings: Settings, url: str | sa.URL | None) -> tuple[bool, str]:
    """Whether nexus_audit passes a password, and where it comes from (never the value).

    Without one, libpq looks for it itself; ``config show`` says where it will look.
    """
    if settings.database_password_file is not None:
        return True, f"file {settings.database_password_file} (database_password_file)"
    if settings.database is not None and settings.database.password is not None:
        return True, "environment (NEXUS_AUDIT_DATABASE__PASSWORD)"

    parsed = sa.engine.make_url(url) if url is not None else None
    if parsed is not None and parsed.password:
        return True, "the database URL"
    if parsed is not None and not parsed.get_backend_name().startswith("postgresql"):
        return False, "none needed"

    return False, _libpq_source(parsed)


def _libpq_source(parsed: sa.URL | None) -> str:
    """libpq's own look-up when nexus_audit passes no password."""
    if "PGPASSWORD" in os.environ:
        return "environment (PGPASSWORD, read by libpq)"

    option = parsed.query.get("passfile") if parsed is not None else None
    named = option if isinstance(option, str) else os.environ.get("PGPASSFILE")
    if named:
        found = "present" if Path(named).is_file() else "missing"
        return f"PostgreSQL password file {named} ({found}), read by libpq"

    default = Path.home() / ".pgpass"
    if default.is_file():
        return f"PostgreSQL password file {default}, read by libpq"

    return "none (libpq finds no PGPASSWORD or password file)"
