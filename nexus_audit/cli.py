"""The ``nexus-audit`` command line: flags in, progress on a terminal, exit codes out.

Exit codes:

====  =====================================================================
0     the report was written
1     the report was written and ``--fail-on fail`` found a failing control
2     usage error: a bad flag, setting, query file or checklist
3     the report was written but is incomplete: a query failed
4     the database could not be reached or read
5     the report could not be rendered or written
6     ``verify`` found a changed, missing or wrongly signed file
====  =====================================================================
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import IntEnum
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .cli_engines import audit_source, engine_options
from .cli_engines import export as export_command
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
    UNVERIFIED = 6


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


def _timestamp(
    context: click.Context, parameter: click.Parameter, value: str | None
) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO 8601 time such as 2026-12-01T03:00:00Z"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


_generated_at = click.option(
    "--generated-at",
    callback=_timestamp,
    metavar="TIMESTAMP",
    help="Time the report states (ISO 8601, UTC if no zone); fixes it for a "
    "reproducible report.",
)
_show_personal = click.option(
    "--show-personal-data",
    is_flag=True,
    default=None,
    help="Show e-mail and IP addresses and user names in clear, not as pseudonyms.",
)
def _assurance(command: Callable[..., None]) -> Callable[..., None]:
    """--attestations FILE, --waivers FILE and --history DIR."""
    for option in (
        click.option(
            "--history",
            type=click.Path(path_type=Path, file_okay=False),
            help="Folder keeping each run's results for trends (history_dir).",
        ),
        click.option(
            "--waivers",
            type=click.Path(path_type=Path, dir_okay=False),
            help="TOML file of approved exceptions (waivers_file).",
        ),
        click.option(
            "--attestations",
            type=click.Path(path_type=Path, dir_okay=False),
            help="TOML file of recorded manual results (attestations_file).",
        ),
    ):
        command = option(command)
    return command


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


def _days(command: Callable[..., None]) -> Callable[..., None]:
    """``--from DATE --to DATE``: a period of whole days, both included."""
    day = click.DateTime(formats=["%Y-%m-%d"])
    command = click.option(
        "--to", "last_day", type=day, help="Last day of the period, included."
    )(command)
    return click.option(
        "--from", "first_day", type=day, help="First day of the period (instead of --month)."
    )(command)


_param = click.option(
    "--param",
    "params",
    multiple=True,
    metavar="QUERY.NAME=VALUE",
    help="Override a query parameter, e.g. brute_force_by_source.min_failures=8; repeatable.",
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
@_generated_at
@_show_personal
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
    generated_at: datetime | None,
    show_personal_data: bool | None,
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
                generated_at=generated_at,
                show_personal_data=show_personal_data,
            )
        return _finish(result, paths, fail_on)

    sys.exit(_guard(work))


@main.command()
@click.option("--database", help="SQLAlchemy URL of the database to audit.")
@engine_options
@_month
@click.option(
    "--framework",
    "frameworks",
    multiple=True,
    help="gdpr, pci-dss or the path of a framework .toml file; repeat for several.",
)
@click.option(
    "--format",
    "formats",
    help="Comma-separated: html,pdf,json,csv,junit,oscal (default html,pdf).",
)
@_days
@_param
@_out
@_config
@_fail_on
@_generated_at
@_show_personal
@_assurance
@_quiet
def report(
    database: str | None,
    engine: str,
    spark_master: str | None,
    parquet: Path | None,
    catalog_schema: str | None,
    month: str | None,
    frameworks: tuple[str, ...],
    formats: str | None,
    first_day: datetime | None,
    last_day: datetime | None,
    params: tuple[str, ...],
    out_dir: Path | None,
    config_path: Path | None,
    fail_on: str,
    generated_at: datetime | None,
    show_personal_data: bool | None,
    attestations: Path | None,
    waivers: Path | None,
    history: Path | None,
    quiet: bool,
) -> None:
    """Audit an existing database and render the monthly report.

    \b
    Examples:
      nexus-audit report --database duckdb:///nexus-audit-report/demo.duckdb
      nexus-audit report --config prod.toml --month 2026-11 --fail-on fail
      nexus-audit report --framework pci-dss --format html,pdf,junit --out out/
      nexus-audit report --engine spark --parquet lake/ --month 2026-11
    Colours follow NO_COLOR; progress bars appear only on a terminal (-q hides them).
    """

    def work() -> int:
        from .api import audit_report

        settings = _settings_with_params(config_path, params)
        settings = _with_assurance(settings, attestations, waivers, history)
        period = _period_of_days(month, first_day, last_day, settings.time_zone)
        source = audit_source(engine, database, spark_master, parquet, catalog_schema)
        with _progress(quiet) as progress:
            result, paths = audit_report(
                database=source,
                month=period or month,
                frameworks=list(frameworks) or None,
                formats=formats.split(",") if formats else None,
                out_dir=out_dir,
                settings=settings,
                progress=progress,
                generated_at=generated_at,
                show_personal_data=show_personal_data,
            )
        return _finish(result, paths, fail_on)

    sys.exit(_guard(work))


@main.command()
@click.option(
    "--framework",
    "frameworks",
    multiple=True,
    help="gdpr, pci-dss or the path of a framework .toml file (default: both shipped).",
)
@click.option("--json", "as_json", is_flag=True, help="A JSON list instead of a table.")
def controls(frameworks: tuple[str, ...], as_json: bool) -> None:
    """List the controls of the catalog: id, framework, requirement, kind, title.

    \b
    Examples:
      nexus-audit controls --framework pci-dss
      nexus-audit controls --json > catalog.json
      nexus-audit controls --framework ./soc2-subset.toml
    """

    def work() -> int:
        from .catalog import catalog_rows

        rows = catalog_rows(list(frameworks) or ["gdpr", "pci-dss"])
        if as_json:
            click.echo(json.dumps(rows, indent=1, ensure_ascii=False))
        else:
            _print_catalog(rows)
        return ExitCode.OK

    sys.exit(_guard(work))


def _print_catalog(rows: list[dict[str, Any]]) -> None:
    table = Table("id", "framework", "requirement", "kind", "cov", "title", box=None)
    for row in rows:
        table.add_row(
            row["id"],
            row["framework"],
            row["requirement"],
            row["kind"],
            row["coverage"] or "",
            row["title"],
        )
    Console().print(table)


@main.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--public-key",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Trusted Ed25519 public key (PEM): the report must be signed by it.",
)
def verify(folder: Path, public_key: Path | None) -> None:
    """Re-check a report folder against its manifest and signatures.

    \b
    Example:
      nexus-audit verify nexus-audit-report/ --public-key auditor-trusted.pem
    """

    def work() -> int:
        from .verify import verify_report

        found = verify_report(folder, public_key)
        for note in found.notes:
            _err.print(note, highlight=False)
        for problem in found.problems:
            _err.print(f"[bold red]changed:[/] {problem}", highlight=False)
        if not found.is_valid:
            return ExitCode.UNVERIFIED

        _err.print(f"verified {len(found.checked)} files in {folder}", highlight=False)
        return ExitCode.OK

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

        rows = effective_settings(config_path, database_url=database)
        console = Console()
        if not console.is_terminal:
            # Piped or redirected: whole values, one setting a line, tab-separated.
            click.echo("setting\tvalue\tfrom")
            for row in rows:
                click.echo(f"{row.key}\t{row.value}\t{row.source}")
            return ExitCode.OK

        table = Table("setting", "value", "from", box=None, pad_edge=False)
        for row in rows:
            table.add_row(row.key, row.value, row.source)
        console.print(table)
        return ExitCode.OK

    sys.exit(_guard(work))


@main.command()
@click.option("--database", help="SQLAlchemy URL of the database to audit.")
@_month
@_config
@click.option(
    "--min-rows",
    type=click.IntRange(min=0),
    default=100_000,
    show_default=True,
    help="Advise on tables of at least this many rows.",
)
@click.option("--all", "show_all", is_flag=True, help="Also list small tables.")
def doctor(
    database: str | None,
    month: str | None,
    config_path: Path | None,
    min_rows: int,
    show_all: bool,
) -> None:
    """Say whether each query's time range is served by an index; print CREATE INDEX.

    Only EXPLAIN is run, read-only; the recommended statements are printed, never run.

    \b
    Example:
      nexus-audit doctor --database postgresql+psycopg://auditor@db/payments
    """

    def work() -> int:
        from rich.table import Table

        from .config import load_settings
        from .doctor import LABELS, diagnose

        found = diagnose(
            database, month, settings=load_settings(config_path), min_rows=min_rows
        )
        table = Table(box=None)
        for heading in ("query", "table", "time column", "range read by", "detail"):
            table.add_column(heading, no_wrap=heading != "detail")
        for advice in found.queries:
            if advice.error:
                table.add_row(advice.query, "", "", "[red]not planned[/]", advice.error)
            for use in advice.uses:
                label = LABELS[use.status]
                if not use.is_served:
                    label = f"[yellow]{label}[/]"
                if show_all or use.status != "small":
                    table.add_row(advice.query, use.table, use.column or "-", label, use.detail)
        # Piped into a file, rows keep their full width.
        Console(width=None if _err.is_terminal else 200).print(table)

        # Plain echo: a statement must survive copy and paste unwrapped.
        click.echo(f"\n-- {found.dialect}: recommended indexes (nexus-audit never creates them)")
        click.echo("\n".join(found.statements) or "-- none")
        for warning in found.warnings:
            _err.print(f"warning: {warning}", highlight=False, markup=False)
        return _doctor_outcome([a.query for a in found.queries if a.error])

    sys.exit(_guard(work))


def _doctor_outcome(unplanned: list[str]) -> int:
    """Exit 3 when a query could not be planned: its advice is missing, not clean."""
    if not unplanned:
        return ExitCode.OK

    _err.print(
        f"{len(unplanned)} query(ies) could not be planned, so their advice is missing "
        f"(see 'not planned' above): {', '.join(unplanned)}",
        highlight=False,
        markup=False,
    )
    return ExitCode.INCOMPLETE


INGEST_FORMATS = ("syslog", "loghub-csv", "csv", "jsonl", "evtx", "pgaudit")


@main.command()
@click.argument("fmt", metavar="FORMAT", type=click.Choice(INGEST_FORMATS))
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False)
)
@click.option("--database", required=True, help="SQLAlchemy URL to store the records in.")
@click.option(
    "--year",
    type=click.IntRange(1970, 2200),
    help="Year of the first line of year-less syslog files (default: inferred).",
)
@click.option(
    "--tz", default="UTC", show_default=True, help="Zone of times written without one."
)
@click.option(
    "--table",
    type=click.Choice(["login_attempts", "audit_log"]),
    default="login_attempts",
    show_default=True,
    help="What a csv or jsonl export holds.",
)
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Map our field to the export's column (csv, jsonl); repeatable.",
)
def ingest(
    fmt: str,
    paths: tuple[Path, ...],
    database: str,
    year: int | None,
    tz: str,
    table: str,
    columns: tuple[str, ...],
) -> None:
    """Load authentication evidence (logs, exports) into login_attempts and audit_log.

    \b
    Examples:
      nexus-audit ingest syslog /var/log/auth.log* --database duckdb:///evidence.duckdb
      nexus-audit ingest evtx Security.evtx --database postgresql+psycopg://me@db/audit
      nexus-audit ingest csv idp.csv --database duckdb:///e.duckdb --column username=login
    """

    def work() -> int:
        from .ingest import ingest as run_ingest

        mapping = dict(_pair(text, "--column") for text in columns)
        found = run_ingest(fmt, paths, database, year=year, tz=tz, table=table, column_map=mapping)
        for line in found.summary():
            _err.print(line, highlight=False, markup=False)
        return ExitCode.OK

    sys.exit(_guard(work))


def _pair(text: str, flag: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise click.BadParameter(f"{flag} takes NAME=VALUE, got {text!r}")
    return name.strip(), value.strip()


def _with_assurance(
    settings: Any, attestations: Path | None, waivers: Path | None, history: Path | None
) -> Any:
    """The settings with ``--attestations``, ``--waivers`` and ``--history`` laid over."""
    given = {
        "attestations_file": attestations,
        "waivers_file": waivers,
        "history_dir": history,
    }
    return settings.model_copy(update={k: v for k, v in given.items() if v is not None})


def _settings_with_params(config_path: Path | None, params: tuple[str, ...]) -> Any:
    """The settings, with ``--param QUERY.NAME=VALUE`` laid over ``[parameters]``."""
    from .config import load_settings

    settings = load_settings(config_path)
    merged = {query: dict(values) for query, values in settings.parameters.items()}

    for text in params:
        target, value = _pair(text, "--param")
        query, dot, name = target.partition(".")
        if not dot or not query or not name:
            raise click.BadParameter(f"--param takes QUERY.NAME=VALUE, got {text!r}")
        merged.setdefault(query, {})[name] = _scalar(value)

    return settings.model_copy(update={"parameters": merged})


def _scalar(text: str) -> int | float | bool | str:
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _period_of_days(
    month: str | None, first: datetime | None, last: datetime | None, time_zone: str
) -> Any:
    """The period of ``--from``/``--to`` (both needed), or None to use ``--month``."""
    from .period import Period

    if first is None and last is None:
        return None
    if first is None or last is None:
        raise click.BadParameter("--from and --to go together")
    if month:
        raise click.BadParameter("give --month or --from/--to, not both")

    return Period.days_between(first.date(), last.date(), time_zone)


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


main.add_command(export_command)
