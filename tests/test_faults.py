"""Faults a production run meets, end to end through the command line.

Each fault gives one message naming what is at fault and what to do, the documented
exit code (README, "Faults and bad input"), no traceback and never the password.
Report files are written atomically: a failed or interrupted run leaves the previous
report as it was and no temporary file behind; two runs writing one folder at once
both leave complete files.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from nexus_audit import run_audit, runner
from nexus_audit.cli import ExitCode, main
from nexus_audit.config import Settings
from nexus_audit.errors import RenderError
from nexus_audit.report import render
from nexus_audit.report.options import ReportOptions
from nexus_audit.report.writer import write_report
from nexus_audit.results import AuditResult
from nexus_audit.verify import verify_report

from .conftest import POSTGRES_URL, Backend
from .scenario import february

SECRET = "s3cret-Pa55"
GENERATED = "2026-03-02T06:00:00Z"
# HTML only: the PDF engine takes tens of seconds on a shared machine, and the staging
# and atomic moves under test are the same for every file.
CLEAR = ReportOptions(show_personal_data=True, sample_rows=0, formats=("html",))


def report(url: str, out: Path, *extra: str) -> tuple[int, str]:
    args = ["report", "--database", url, "--month", "2026-02", "--out", str(out), "-q"]
    outcome = CliRunner().invoke(main, [*args, "--generated-at", GENERATED, *extra])
    return outcome.exit_code, " ".join(
        outcome.output.split()
    )  # undo the console's wrap


def _clean(output: str) -> None:
    assert "Traceback" not in output
    assert SECRET not in output


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- the database -----------------------------------------------------------------


class RejectingServer(threading.Thread):
    """Speaks just enough PostgreSQL to ask for a password and reject it (28P01)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(10)
        self.port = self.listener.getsockname()[1]
        self.passwords: list[bytes] = []

    def run(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _ = self.listener.accept()
                with connection:
                    self._serve(connection)

    def _serve(self, connection: socket.socket) -> None:
        while True:
            payload = _message(connection, typed=False)
            if int.from_bytes(payload[:4], "big") not in (80877103, 80877104):
                break
            connection.sendall(b"N")  # no SSL, no GSS encryption
        connection.sendall(b"R" + (8).to_bytes(4, "big") + (3).to_bytes(4, "big"))
        self.passwords.append(_message(connection, typed=True))
        fields = b"SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user "
        fields += b'"auditor"\0\0'
        connection.sendall(b"E" + (len(fields) + 4).to_bytes(4, "big") + fields)


def _message(connection: socket.socket, *, typed: bool) -> bytes:
    if typed:
        _exact(connection, 1)
    length = int.from_bytes(_exact(connection, 4), "big")
    return _exact(connection, length - 4)


def _exact(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise OSError("peer closed")
        data += chunk
    return data


def test_wrong_password_names_user_and_says_what_to_do(tmp_path: Path) -> None:
    server = RejectingServer()
    server.start()
    url = (
        f"postgresql+psycopg://auditor:{SECRET}@127.0.0.1:{server.port}/payments"
        "?sslmode=disable&gssencmode=disable&connect_timeout=5"
    )

    try:
        code, output = report(url, tmp_path / "out")
    finally:
        server.listener.close()

    assert code == ExitCode.DATABASE, output
    assert "password authentication failed" in output
    assert "check the user name and the password" in output
    assert server.passwords and SECRET.encode() in server.passwords[0]  # it was sent
    _clean(output)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("url", "named", "advice"),
    [
        (
            f"postgresql+psycopg://auditor:{SECRET}@127.0.0.1:1/payments?connect_timeout=2",
            "postgresql:payments",
            "check the host and port",
        ),
        (
            f"postgresql+psycopg://auditor:{SECRET}@db.invalid:5432/payments"
            "?connect_timeout=2",
            "postgresql:payments",
            "check the host and port",
        ),
    ],
    ids=["refused", "unknown-host"],
)
def test_unreachable_server(url: str, named: str, advice: str, tmp_path: Path) -> None:
    code, output = report(url, tmp_path / "out")

    assert code == ExitCode.DATABASE, output
    assert named in output and advice in output
    _clean(output)


def _postgres(user: str = "postgres", database: str = "test") -> str:
    url = sa.make_url(POSTGRES_URL).set(
        username=user, password=SECRET, database=database
    )
    return url.render_as_string(hide_password=False)


@pytest.mark.parametrize(
    ("user", "database", "advice"),
    [
        ("no_such_role", "test", "check the user name in the database URL"),
        ("postgres", "no_such_database", "check the database name in the URL"),
    ],
    ids=["unknown-role", "unknown-database"],
)
def test_unknown_role_or_database(
    postgres_backend: Backend, user: str, database: str, advice: str, tmp_path: Path
) -> None:
    code, output = report(_postgres(user, database), tmp_path / "out")

    assert code == ExitCode.DATABASE, output
    assert f'"{user if user != "postgres" else database}"' in output
    assert advice in output
    _clean(output)


def test_duckdb_file_missing_or_not_duckdb(tmp_path: Path) -> None:
    code, output = report(f"duckdb:///{tmp_path / 'absent.duckdb'}", tmp_path / "a")
    assert code == ExitCode.DATABASE, output
    assert "absent.duckdb" in output and "check the file path in the URL" in output
    _clean(output)

    (tmp_path / "text.duckdb").write_text("not a database\n")
    code, output = report(f"duckdb:///{tmp_path / 'text.duckdb'}", tmp_path / "b")
    assert code == ExitCode.DATABASE, output
    assert (
        "text.duckdb" in output and "point the URL at a DuckDB database file" in output
    )
    _clean(output)


def test_connection_lost_mid_run_stops_and_keeps_the_last_report(
    postgres_backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    february().write(postgres_backend.url)
    out = tmp_path / "out"
    code, output = report(postgres_backend.url, out, "--format", "html")
    assert code == ExitCode.OK, output
    before = _files(out)

    real = runner.run_query
    calls: list[str] = []
    on: list[int] = []  # the connection each query ran on (two run side by side)

    def terminated_on_the_third(
        connection: sa.Connection, query: Any, *a: Any, **k: Any
    ) -> Any:
        calls.append(query.name)
        on.append(id(connection))
        if len(calls) == 3:
            pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
            admin = sa.create_engine(POSTGRES_URL)
            with admin.begin() as other:
                other.execute(
                    sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}
                )
            admin.dispose()
        return real(connection, query, *a, **k)

    monkeypatch.setattr(runner, "run_query", terminated_on_the_third)
    code, output = report(postgres_backend.url, out, "--format", "html")

    assert code == ExitCode.DATABASE, output
    assert f"was lost during query {calls[2]}" in output
    assert "no report was written" in output and "run again" in output
    _clean(output)
    assert on.count(on[2]) == on[:3].count(on[2])  # nothing ran on the dead connection
    assert _files(out) == before


def _drop_column(url: str, table: str, column: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "duckdb":
            indexes = connection.execute(
                sa.text(
                    "SELECT index_name FROM duckdb_indexes() WHERE table_name = :t"
                ),
                {"t": table},
            ).scalars()
            for index in list(indexes):
                connection.execute(sa.text(f'DROP INDEX "{index}"'))
            connection.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN {column}"))
        else:
            connection.execute(
                sa.text(f"ALTER TABLE {table} DROP COLUMN {column} CASCADE")
            )
    engine.dispose()


def test_missing_table_and_column_are_named(backend: Backend, tmp_path: Path) -> None:
    february().write(
        backend.url,
    )
    _drop_column(backend.url, "audit_log", "event_type")

    code, output = report(backend.url, tmp_path / "a")
    assert code == ExitCode.DATABASE, output
    assert "table audit_log lacks column event_type" in output
    assert "mapping.audit_log.columns" in output
    _clean(output)

    engine = sa.create_engine(backend.url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE login_attempts"))
    engine.dispose()

    code, output = report(backend.url, tmp_path / "b")
    assert code == ExitCode.DATABASE, output
    assert "required table(s) not found" in output and "login_attempts" in output
    _clean(output)
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


# --- the output folder ------------------------------------------------------------


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, AuditResult]:
    folder = tmp_path_factory.mktemp("faults")
    url = f"duckdb:///{folder / 'audited.duckdb'}"
    february().write(url)
    moment = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    return url, run_audit(url, "2026-02", settings=Settings(), generated_at=moment)


@contextlib.contextmanager
def _tmpfs(folder: Path, options: str) -> Iterator[bool]:
    """A small tmpfs at ``folder`` when this process may mount one, else False."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=False)


def test_read_only_output_folder(
    audited: tuple[str, AuditResult], tmp_path: Path
) -> None:
    url, _ = audited
    folder = tmp_path / "ro"
    with _tmpfs(folder, "size=1m,ro") as mounted:
        if not mounted:
            if os.geteuid() == 0:
                pytest.skip("cannot mount a read-only tmpfs and root ignores chmod")
            folder.chmod(0o555)

        code, output = report(url, folder)

        assert code == ExitCode.RENDER, output
        assert str(folder) in output.replace(" ", "")
        assert "choose a folder you may write to with --out" in output
        _clean(output)
        assert list(folder.iterdir()) == []


def test_full_disk_keeps_the_previous_report(
    audited: tuple[str, AuditResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = audited
    folder = tmp_path / "full"
    with _tmpfs(folder, "size=48k") as mounted:
        (folder / "report.html").write_text("last month's report")
        if not mounted:
            real_open = Path.open

            def full(self: Path, mode: str = "r", *a: Any, **k: Any) -> Any:
                if "w" in mode and self.name.endswith(".tmp"):
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
                return real_open(self, mode, *a, **k)

            monkeypatch.setattr(Path, "open", full)

        code, output = report(url, folder)

        assert code == ExitCode.RENDER, output
        assert "No space left on device" in output
        assert "free space on that disk or choose another --out folder" in output
        _clean(output)
        assert _files(folder) == {"report.html": b"last month's report"}


def test_interrupted_or_failed_render_leaves_the_previous_report(
    audited: tuple[str, AuditResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, result = audited
    write_report(result, tmp_path, CLEAR)
    before = _files(tmp_path)
    assert "report.html" in before and "manifest.json" in before
    assert "results.json" in before

    def interrupted(*args: object, **kwargs: object) -> Any:
        raise KeyboardInterrupt

    # The evidence files are staged by then: the render fails midway through the run.
    monkeypatch.setattr(render, "html_for", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_report(result, tmp_path, CLEAR)
    assert _files(tmp_path) == before

    def broken(*args: object, **kwargs: object) -> Any:
        raise ValueError("font table damaged")

    monkeypatch.setattr(render, "html_for", broken)
    with pytest.raises(RenderError, match="report.html failed: ValueError: font table"):
        write_report(result, tmp_path, CLEAR)
    assert _files(tmp_path) == before


def test_two_runs_into_one_folder_both_finish_complete(
    audited: tuple[str, AuditResult], tmp_path: Path
) -> None:
    _, result = audited
    out = tmp_path / "shared" / "report"
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def one_run() -> None:
        try:
            start.wait()
            write_report(result, out, CLEAR)
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    files = _files(out)
    assert not [name for name in files if name.endswith(".tmp")]
    assert verify_report(out).problems == []
    alone = tmp_path / "alone"
    write_report(result, alone, CLEAR)
    assert files == _files(alone)


@pytest.mark.parametrize(
    ("flag", "content", "code", "expected"),
    [
        (
            "--config",
            b"\xff\xfe organisation",
            ExitCode.USAGE,
            "cannot read it as UTF-8",
        ),
        ("--config", b"organisation = [\n", ExitCode.USAGE, "not valid TOML"),
        ("--attestations", None, ExitCode.USAGE, "cannot read the file"),
        ("--waivers", b"[[waivers]\n", ExitCode.USAGE, "waivers.toml"),
        ("--out", b"a file, not a folder", ExitCode.RENDER, "--out must name a folder"),
    ],
    ids=[
        "config-not-utf8",
        "config-bad-toml",
        "attestations-missing",
        "waivers-bad",
        "out-file",
    ],
)
def test_bad_files_on_the_command_line(
    audited: tuple[str, AuditResult],
    tmp_path: Path,
    flag: str,
    content: bytes | None,
    code: int,
    expected: str,
) -> None:
    url, _ = audited
    path = tmp_path / f"{flag.strip('-')}.toml"
    if content is not None:
        path.write_bytes(content)
    args = ["report", "--database", url, "--month", "2026-02", "-q", "--format", "html"]
    if flag != "--out":
        args += ["--out", str(tmp_path / "out")]
    outcome = CliRunner().invoke(main, [*args, flag, str(path)])
    output = " ".join(outcome.output.split())

    assert outcome.exit_code == code, output
    assert expected in output and path.name in output
    _clean(output)
    assert not (tmp_path / "out").exists()
