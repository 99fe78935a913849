"""What every part shares: options, the demo databases, child processes, result files."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get(
    "NEXUS_AUDIT_BENCH_POSTGRES_URL",
    "postgresql+psycopg://postgres@127.0.0.1:5432/bench",
)
SEED = 20261
PACKAGES = (
    "nexus-audit",
    "duckdb",
    "sqlalchemy",
    "psycopg",
    "pandas",
    "pyarrow",
    "pyspark",
    "numpy",
    "weasyprint",
)


@dataclass(frozen=True)
class Options:
    """The command line, as every part reads it."""

    events: tuple[int, ...] = (1_000_000,)
    engines: tuple[str, ...] = ("duckdb", "postgres")
    runs: int = 3
    month: str = "2026-11"
    postgres_url: str = POSTGRES_URL
    work: Path = ROOT / "benchmarks" / "work"
    results: Path = ROOT / "benchmarks" / "results"


@dataclass(frozen=True)
class Run:
    """One child process: how long it took, its peak memory, what it printed."""

    wall_s: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str

    def reported(self) -> dict[str, Any]:
        """The JSON object a ``benchmarks._child`` prints on its last line."""
        lines = [line for line in self.stdout.splitlines() if line.startswith("{")]
        return json.loads(lines[-1]) if lines else {}


@dataclass(frozen=True)
class Database:
    """Where the demo of one size lives on one engine."""

    engine: str
    events: int
    url: str

    @property
    def schema(self) -> str:
        """The PostgreSQL schema that holds it."""
        return f"nexus_bench_{self.events}"


def database(options: Options, engine: str, events: int) -> Database:
    """The demo of ``events`` events: a DuckDB file, or a PostgreSQL schema of its own."""
    if engine == "duckdb":
        path = options.work / f"demo-{events}.duckdb"
        return Database(engine, events, f"duckdb:///{path}")

    url = make_url(options.postgres_url).update_query_dict(
        {"options": f"-csearch_path=nexus_bench_{events}"}
    )
    return Database(engine, events, url.render_as_string(hide_password=False))


def run_child(command: Sequence[str], *, cwd: Path = ROOT) -> Run:
    """Run ``command``; its wall time and its own peak RSS, through ``_launch``."""
    launcher = [sys.executable, "-S", str(Path(__file__).with_name("_launch.py"))]

    with tempfile.TemporaryDirectory() as folder:
        figures = Path(folder) / "figures.json"
        out, err = Path(folder) / "stdout", Path(folder) / "stderr"
        with out.open("w") as stdout, err.open("w") as stderr:
            process = subprocess.run(
                [*launcher, str(figures), *command],
                stdout=stdout,
                stderr=stderr,
                cwd=cwd,
            )
        measured = json.loads(figures.read_text()) if figures.exists() else {}
        run = Run(
            measured.get("wall_s", 0.0),
            measured.get("peak_rss_kb", 0) / 1024,
            process.returncode,
            out.read_text(errors="replace"),
            err.read_text(errors="replace"),
        )

    if run.returncode not in (0, 1):
        raise RuntimeError(
            f"{' '.join(command)} exited {run.returncode}:\n{run.stderr[-3000:]}"
        )
    return run


def child(*arguments: object) -> list[str]:
    """The command that runs one of ``benchmarks._child``'s jobs."""
    return [sys.executable, "-m", "benchmarks._child", *map(str, arguments)]


def median(values: Iterable[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return round(statistics.median(known), 3) if known else None


def summary(runs: list[dict[str, Any]], keys: Iterable[str]) -> dict[str, Any]:
    """The median of each key over the runs, with the runs themselves kept beside it."""
    return {key: median(run.get(key) for run in runs) for key in keys} | {"runs": runs}


def machine(postgres_url: str | None = None) -> dict[str, Any]:
    """The machine and software the figures were measured on."""
    described: dict[str, Any] = {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)),
        "memory_gb": round(_mem_total_kb() / 1024 / 1024, 1),
        "system": platform.platform(),
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "packages": {name: _version(name) for name in PACKAGES},
    }
    if postgres_url:
        described["postgresql"] = _postgres_version(postgres_url)
    return described


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _mem_total_kb() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _postgres_version(url: str) -> str | None:
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            text = connection.execute(sa.text("SHOW server_version")).scalar()
        engine.dispose()
    except sa.exc.SQLAlchemyError:
        return None
    return str(text)


def write_part(
    options: Options, part: str, entries: list[dict[str, Any]], keys: Sequence[str]
) -> Path:
    """Merge ``entries`` into ``results/<part>.json``, replacing those with equal keys."""
    options.results.mkdir(parents=True, exist_ok=True)
    path = options.results / f"{part}.json"
    kept = read_part(options.results, part)
    fresh = {tuple(entry.get(k) for k in keys) for entry in entries}
    merged = [e for e in kept if tuple(e.get(k) for k in keys) not in fresh] + entries

    document = {
        "part": part,
        "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(
            options.postgres_url if "postgres" in options.engines else None
        ),
        "results": sorted(merged, key=lambda e: tuple(str(e.get(k)) for k in keys)),
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return path


def read_part(results: Path, part: str) -> list[dict[str, Any]]:
    path = results / f"{part}.json"
    if not path.exists():
        return []
    entries: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))[
        "results"
    ]
    return entries


def stamp(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry with the time it was measured and the load the machine was under."""
    return entry | {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
