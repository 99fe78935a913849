"""The ``nexus-audit`` command line: flags in, progress on a terminal, exit codes out.

Exit codes:

====  =====================================================================
0     the report was written
1     the report was written and ``--fail-on fail`` found a failing control
2     usage error: a bad flag, setting, query file or checklist
3     the report was written but is incomplete: a query failed
4     the database could not be reached or read
5     the report could not be rendered or written
====  =====================================================================
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from .errors import DatabaseError, NexusAuditError, RenderError

log = logging.getLogger(__name__)
_err = Console(stderr=True)


class ExitCode(IntEnum):
    """What the process's exit status means; documented in the README."""

    OK = 0
    FAILING_CONTROLS = 1
    USAGE = 2
    INCOMPLETE = 3
    DATABASE = 4
    RENDER = 5


@click.group()
@click.option("-v", "--verbose", count=True, help="Log more (-v info, -vv debug).")
@click.version_option(package_name="nexus-audit")
def main(verbose: int) -> None:
    """Monthly GDPR and PCI DSS v4.0.1 compliance audits, rendered to HTML and PDF."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


_month = click.option("--month", help="YYYY-MM; default: the last complete month.")
_out = click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help="Output folder (default ./nexus-audit-report).",
)
_quiet = click.option("-q", "--quiet", is_flag=True, help="No progress bars.")
_config = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="Settings file (default ./nexus-audit.toml when present).",
)
_fail_on = click.option(
    "--fail-on",
    type=click.Choice(["fail", "never"]),
    default="never",
    show_default=True,
    help="Exit 1 when a control fails.",
)


@main.command()
@click.option(
    "--database",
    help="SQLAlchemy URL to build the demo in "
    "(default: a DuckDB file in the output folder).",
)
@_month
@click.option(
    "--events",
    type=click.IntRange(min=1000),
    default=1_000_000,
    show_default=True,
    help="Audit events in the reported month.",
)
@click.option("--seed", type=int, default=20261, show_default=True)
@click.option("--replace", is_flag=True, help="Replace demo tables that already exist.")
@_out
@_config
@_fail_on
@_quiet
def demo(
    database: str | None,
    month: str | None,
    events: int,
    seed: int,
    replace: bool,
    out_dir: Path | None,
    config_path: Path | None,
    fail_on: str,
    quiet: bool,
) -> None:
    """Build a demo platform database and render its monthly report.

    \b
    Examples:
      nexus-audit demo                          # DuckDB file in ./nexus-audit-report/
      nexus-audit demo --month 2026-11 --events 100000 --out /tmp/demo
      nexus-audit demo --database postgresql+psycopg://me@localhost/demo --replace
    """

    def work() -> int:
        from .api import demo_report

        with _progress(quiet) as progress:
            result, paths = demo_report(
                database=database,
                month=month,
                events=events,
                seed=seed,
                replace=replace,
                out_dir=out_dir,
                config=config_path,
                progress=progress,
            )
        return _finish(result, paths, fail_on)

    sys.exit(_guard(work))


@main.command()
@click.option("--database", help="SQLAlchemy URL of the database to audit.")
@_month
@click.option(
    "--framework",
    "frameworks",
    multiple=True,
    type=click.Choice(["gdpr", "pci-dss"]),
    help="Repeat for several.",
)
@click.option(
    "--format",
    "formats",
    help="Comma-separated: html,pdf,json,csv,junit,oscal (default html,pdf).",
)
@_out
@_config
@_fail_on
@_quiet
def report(
    database: str | None,
    month: str | None,
    frameworks: tuple[str, ...],
    formats: str | None,
    out_dir: Path | None,
    config_path: Path | None,
    fail_on: str,
    quiet: bool,
) -> None:
    """Audit an existing database and render the monthly report.

    \b
    Examples:
      nexus-audit report --database duckdb:///nexus-audit-report/demo.duckdb
      nexus-audit report --config prod.toml --month 2026-11 --fail-on fail
      nexus-audit report --framework pci-dss --format html,pdf,junit --out out/
    Colours follow NO_COLOR; progress bars appear only on a terminal (-q hides them).
    """

    def work() -> int:
        from .api import audit_report

        with _progress(quiet) as progress:
            result, paths = audit_report(
                database=database,
                month=month,
                frameworks=list(frameworks) or None,
                formats=formats.split(",") if formats else None,
                out_dir=out_dir,
                config=config_path,
                progress=progress,
            )
        return _finish(result, paths, fail_on)

    sys.exit(_guard(work))


@main.group()
def config() -> None:
    """Inspect the effective settings."""


@config.command("show")
@_config
@click.option("--database", help="As on `report`: shows what a flag would change.")
def config_show(config_path: Path | None, database: str | None) -> None:
    """Print every setting, its value (secrets masked) and where it came from.

    \b
    Example:
      nexus-audit config show --config /etc/nexus-audit.toml
    """

    def work() -> int:
        from rich.table import Table

        from .settings_sources import effective_settings

        table = Table("setting", "value", "from", box=None, pad_edge=False)
        for row in effective_settings(config_path, database_url=database):
            table.add_row(row.key, row.value, row.source)
        Console().print(table)
        return ExitCode.OK

    sys.exit(_guard(work))


def _finish(result: Any, paths: dict[str, Path], fail_on: str) -> int:
    for score in result.frameworks:
        shown = "not assessed" if score.score is None else f"{score.score:.1f}%"
        _err.print(f"{score.name} {score.version}: {shown}  {_counts(score.counts)}")
    for kind, path in paths.items():
        if not kind.startswith("csv:"):
            _err.print(f"wrote {kind}: {path}", highlight=False)
    csvs = [path for kind, path in paths.items() if kind.startswith("csv:")]
    if csvs:
        _err.print(f"wrote {len(csvs)} evidence CSV files in {csvs[0].parent}", highlight=False)

    if not result.is_complete:
        _err.print("[bold red]incomplete:[/] a query failed; see the report's warnings")
        return ExitCode.INCOMPLETE
    if fail_on == "fail" and result.failing():
        return ExitCode.FAILING_CONTROLS

    return ExitCode.OK


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in counts.items() if v)


def _guard(work: Callable[[], int]) -> int:
    """Run a command, turning the library's errors into a message and an exit code."""
    try:
        return work()
    except DatabaseError as error:
        _err.print(f"[bold red]error:[/] {error}", highlight=False)
        return ExitCode.DATABASE
    except RenderError as error:
        _err.print(f"[bold red]error:[/] {error}", highlight=False)
        return ExitCode.RENDER
    except NexusAuditError as error:
        _err.print(f"[bold red]error:[/] {error}", highlight=False)
        return ExitCode.USAGE


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    if quiet or not _err.is_terminal:
        yield None
        return

    columns = (
        TextColumn("{task.description:<34}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=_err, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def update(step: str, done: int, total: int) -> None:
            stage = step.split(":", 1)[0] if ":" in step else "queries"
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(
                tasks[stage],
                completed=done,
                total=total,
                description=f"{stage}: {step.split(':', 1)[-1]}"[:34],
            )

        yield update
