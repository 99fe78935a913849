"""The audited database by its parts: the URL built, the password's sources, libpq options.

The local server trusts 127.0.0.1, so a wrong password cannot fail there: the tests read
the password libpq actually used (``connection.info.password``) instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from nexus_audit.cli import main
from nexus_audit.config import DatabaseParts, Settings, load_settings
from nexus_audit.database import open_engine, snapshot
from nexus_audit.database_url import parts_url, settings_url
from nexus_audit.errors import ConfigError, DatabaseError

from .conftest import POSTGRES_URL, postgres_unavailable

PERIOD = "2026-02"
# Characters that break a URL written by hand: all must reach the driver unchanged.
AWKWARD = "p@ss:w/rd?#%"


def write(folder: Path, text: str) -> Path:
    path = folder / "nexus-audit.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_parts_are_built_into_a_url_without_quoting_by_hand() -> None:
    url = parts_url(
        DatabaseParts(
            host="db.internal",
            port=6432,
            user="audit@corp",
            password=AWKWARD,  # type: ignore[arg-type]
            dbname="pay ments",
            options={"sslmode": "verify-full", "connect_timeout": 10},
        )
    )

    # The rendered URL parses back to the same parts: nothing was lost to quoting.
    again = make_url(url.render_as_string(hide_password=False))
    assert (again.drivername, again.host, again.port) == (
        "postgresql+psycopg",
        "db.internal",
        6432,
    )
    assert (again.username, again.password, again.database) == (
        "audit@corp",
        AWKWARD,
        "pay ments",
    )
    assert dict(again.query) == {"connect_timeout": "10", "sslmode": "verify-full"}


def test_file_and_environment_parts_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(
        tmp_path,
        '[database]\nhost = "db.internal"\ndbname = "payments"\n\n'
        '[database.options]\nsslmode = "require"\n',
    )
    monkeypatch.setenv("NEXUS_AUDIT_DATABASE__PORT", "6432")
    monkeypatch.setenv("NEXUS_AUDIT_DATABASE__USER", "auditor")
    monkeypatch.setenv("NEXUS_AUDIT_DATABASE__OPTIONS__APPLICATION_NAME", "audit-job")

    url = settings_url(load_settings(path))

    assert url == sa.URL.create(
        "postgresql+psycopg",
        username="auditor",
        host="db.internal",
        port=6432,
        database="payments",
        query={"application_name": "audit-job", "sslmode": "require"},
    )


def test_url_and_parts_together_are_an_error_naming_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, '[database]\nhost = "db.internal"\n')
    monkeypatch.setenv("NEXUS_AUDIT_DATABASE_URL", "postgresql+psycopg://a:pw1@h/db")

    with pytest.raises(ConfigError) as caught:
        load_settings(path)

    assert "'database_url' and 'database'" in str(caught.value)
    assert "pw1" not in str(caught.value)


def test_the_database_flag_outranks_the_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, '[database]\nhost = "db.internal"\n')
    monkeypatch.setenv("COLUMNS", "400")
    flag = "duckdb:///elsewhere.duckdb"

    outcome = CliRunner().invoke(
        main, ["config", "show", "--config", str(path), "--database", flag]
    )

    assert outcome.exit_code == 0, outcome.output
    lines = outcome.output.splitlines()
    assert not [line for line in lines if line.startswith("database.host")]
    url_row = next(line for line in lines if line.startswith("database_url "))
    assert flag in url_row and url_row.rstrip().endswith("command line")
    effective = next(line for line in lines if line.startswith("database (effective"))
    assert flag in effective and effective.rstrip().endswith(
        "command line (--database)"
    )


def test_a_password_in_the_settings_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, '[database]\nhost = "h"\npassword = "hunter2"\n')

    with pytest.raises(ConfigError) as caught:
        load_settings(path)

    message = str(caught.value)
    assert f"'database.password' ({path}:3)" in message
    assert "NEXUS_AUDIT_DATABASE__PASSWORD" in message and "pgpass" in message
    assert "hunter2" not in message


def test_password_file_and_environment_password_together_are_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "pw"
    secret.write_text("from-file\n", encoding="utf-8")
    path = write(
        tmp_path, f'database_password_file = "{secret}"\n[database]\nhost = "h"\n'
    )
    monkeypatch.setenv("NEXUS_AUDIT_DATABASE__PASSWORD", "from-env")

    with pytest.raises(ConfigError) as caught:
        load_settings(path)

    assert "'database_password_file' and 'database.password'" in str(caught.value)
    assert "from-env" not in str(caught.value)


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ('sslmod = "require"', "['sslmod']"),
        ('password = "x"', "['password']"),
        ('sslmode = "required"', "one of disable, allow, prefer, require"),
    ],
)
def test_bad_options_name_the_setting_and_hide_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: str, named: str
) -> None:
    path = write(tmp_path, f'[database]\nhost = "h"\n[database.options]\n{options}\n')
    monkeypatch.setenv("NEXUS_AUDIT_DATABASE__PASSWORD", "hunter2")

    with pytest.raises(ConfigError) as caught:
        load_settings(path)

    message = str(caught.value)
    assert "setting 'database'" in message and named in message
    assert "hunter2" not in message


def test_no_command_takes_a_password() -> None:
    """A password on the command line is seen in `ps` and shell history: no such flag."""

    def options(command: click.Command) -> Iterator[str]:
        for parameter in command.params:
            yield from parameter.opts
        if isinstance(command, click.Group):
            for child in command.commands.values():
                yield from options(child)

    flags = list(options(main))
    assert "--database" in flags
    assert not [flag for flag in flags if "pass" in flag.lower()]


def test_config_show_lists_each_part_its_source_and_masks_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(
        tmp_path,
        '# audited database\n[database]\nhost = "db.internal"\ndbname = "payments"\n'
        '[database.options]\nsslmode = "verify-full"\n',
    )
    monkeypatch.setenv("NEXUS_AUDIT_DATABASE__PASSWORD", "hunter2")
    monkeypatch.setenv("NEXUS_AUDIT_DATABASE__USER", "auditor")
    monkeypatch.setenv("COLUMNS", "400")

    outcome = CliRunner().invoke(main, ["config", "show", "--config", str(path)])

    assert outcome.exit_code == 0, outcome.output
    rows = {
        line.split()[0]: [cell.strip() for cell in line.split(maxsplit=2)[1:]]
        for line in outcome.output.splitlines()
        if line.startswith("database")
    }
    assert rows["database.host"] == ['"db.internal"', f"file {path}:3"]
    assert rows["database.dbname"] == ['"payments"', f"file {path}:4"]
    assert rows["database.options.sslmode"] == ['"verify-full"', f"file {path}:6"]
    assert rows["database.user"] == [
        '"auditor"',
        "environment (NEXUS_AUDIT_DATABASE__USER)",
    ]
    assert rows["database.password"][0] == "***"
    assert rows["database.driver"] == ['"postgresql+psycopg"', "default"]
    assert "hunter2" not in outcome.output
    assert (
        "postgresql+psycopg://auditor:***@db.internal/payments?sslmode=verify-full"
        in outcome.output
    )


def test_duckdb_by_its_parts_is_opened_read_only(tmp_path: Path) -> None:
    file = tmp_path / "a folder" / "audited.duckdb"
    file.parent.mkdir()
    writer = sa.create_engine(f"duckdb:///{file}")
    with writer.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    writer.dispose()

    url = settings_url(
        Settings(database=DatabaseParts(driver="duckdb", dbname=str(file)))
    )
    engine = open_engine(url)  # type: ignore[arg-type]

    with (
        engine.connect() as connection,
        pytest.raises(sa.exc.DBAPIError, match="read-only"),
    ):
        connection.exec_driver_sql("INSERT INTO t VALUES (1)")
    engine.dispose()


# PostgreSQL: the local server, by its parts.


@pytest.fixture
def server() -> sa.URL:
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    return make_url(POSTGRES_URL)


def pg_parts(server: sa.URL, **changes: object) -> DatabaseParts:
    values: dict[str, object] = {
        "host": server.host,
        "port": server.port,
        "user": server.username,
        "dbname": server.database,
    }
    return DatabaseParts(**{**values, **changes})  # type: ignore[arg-type]


def used(
    parts: DatabaseParts, password_file: Path | None = None
) -> tuple[str, str | None]:
    """The role connected and the password libpq was given, through the audit's snapshot."""
    engine = open_engine(
        settings_url(Settings(database=parts)),  # type: ignore[arg-type]
        password_file=password_file,
    )
    try:
        with snapshot(engine, statement_timeout_s=5, lock_timeout_s=5) as connection:
            role = connection.execute(sa.text("SELECT current_user")).scalar_one()
            password = connection.connection.dbapi_connection.info.password  # type: ignore[union-attr]
    finally:
        engine.dispose()
    return role, password


def test_sslmode_reaches_libpq(server: sa.URL) -> None:
    admin = sa.create_engine(server)
    with admin.connect() as connection:
        ssl = connection.execute(sa.text("SHOW ssl")).scalar_one()
    admin.dispose()

    assert used(pg_parts(server, options={"sslmode": "disable"}))[0] == server.username

    require = pg_parts(server, options={"sslmode": "require", "connect_timeout": 5})
    if ssl == "on":
        assert used(require)[0] == server.username
        return
    with pytest.raises(DatabaseError) as caught:
        used(require)
    assert "does not support SSL" in str(caught.value)
    assert "sslmode=require" in str(caught.value)
    assert "database.options.sslmode" in str(caught.value)


@pytest.fixture
def role(server: sa.URL) -> Iterator[tuple[str, str]]:
    """A login role with a password (the kind an auditor gets), dropped afterwards."""
    name, password = f"nexus_fit_{uuid.uuid4().hex[:8]}", AWKWARD
    admin = sa.create_engine(server)
    with admin.begin() as connection:
        quoted = connection.dialect.identifier_preparer.quote(name)
        # DDL takes no bound parameters: the literal is quoted, and % doubled for psycopg.
        literal = password.replace("'", "''").replace("%", "%%")
        connection.exec_driver_sql(f"CREATE ROLE {quoted} LOGIN PASSWORD '{literal}'")
    try:
        yield name, password
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP ROLE {quoted}")
        admin.dispose()


def test_the_environment_password_reaches_libpq(
    server: sa.URL, role: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    name, password = role
    monkeypatch.setenv("NEXUS_AUDIT_DATABASE__PASSWORD", password)
    for key, value in {"HOST": server.host, "PORT": server.port, "USER": name}.items():
        monkeypatch.setenv(f"NEXUS_AUDIT_DATABASE__{key}", str(value))
    monkeypatch.setenv("NEXUS_AUDIT_DATABASE__DBNAME", str(server.database))
    monkeypatch.chdir(Path(__file__).parent)  # no nexus-audit.toml here

    settings = load_settings()
    assert settings.database is not None

    assert used(settings.database) == (name, password)


def test_the_password_file_reaches_libpq(
    server: sa.URL, role: tuple[str, str], tmp_path: Path
) -> None:
    name, password = role
    secret = tmp_path / "password"
    secret.write_text(password + "\n", encoding="utf-8")

    assert used(pg_parts(server, user=name), password_file=secret) == (name, password)


def test_a_pgpass_only_setup_is_not_overridden(
    server: sa.URL,
    role: tuple[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name, _ = role
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(
        f"{server.host}:{server.port}:{server.database}:{name}:from-pgpass\n",
        encoding="utf-8",
    )
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    parts = pg_parts(server, user=name)

    # nexus_audit passes no password, so libpq takes the password file's.
    assert settings_url(Settings(database=parts)).password is None  # type: ignore[union-attr]
    assert used(parts) == (name, "from-pgpass")

    # A password nexus_audit is given wins over the file, as libpq's order says.
    given = pg_parts(server, user=name, password="explicit")
    assert used(given) == (name, "explicit")


def test_config_show_names_the_pgpass_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pgpass = tmp_path / "pgpass"
    pgpass.write_text("*:*:*:*:x\n", encoding="utf-8")
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("COLUMNS", "400")
    path = write(tmp_path, '[database]\nhost = "db.internal"\n')

    outcome = CliRunner().invoke(main, ["config", "show", "--config", str(path)])

    line = next(
        x for x in outcome.output.splitlines() if x.startswith("database password")
    )
    assert f"PostgreSQL password file {pgpass} (present), read by libpq" in line
    assert line.split()[2] == "—"
