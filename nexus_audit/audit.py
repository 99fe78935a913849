"""The monthly audit, end to end: period → snapshot → queries → scores → result."""

from __future__ import annotations

import getpass
import hashlib
import logging
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version

from sqlalchemy.engine import Engine

from .allowlist import Allowlist
from .allowlist import apply as apply_allowlist
from .assurance import Assurance, complete, load_assurance
from .checklists import Framework, load_frameworks
from .config import DEFAULT_TARGETS, Settings, load_settings
from .database import (
    Inventory,
    describe,
    inventory,
    open_engine,
    server_version,
    snapshot,
)
from .database_url import settings_url
from .engines import QueryEngine
from .errors import ConfigError
from .history import keep
from .lanes import lanes
from .mapping import Mapping
from .naive_times import naive_time_columns, warnings_for
from .period import Period
from .queries import ParamValue, Query, load_queries
from .results import AuditResult, ControlResult, FrameworkScore, PeriodInfo, QueryRun
from .runner import Outcome, Progress, iso, run_queries
from .scoring import score_framework
from .vocabulary import unknown_value_warnings

log = logging.getLogger(__name__)

ACTIVITY_QUERY = "period_activity"


def run_audit(
    database: str | Engine | QueryEngine | None = None,
    month: str | Period | None = None,
    *,
    settings: Settings | None = None,
    frameworks: list[str] | None = None,
    progress: Progress | None = None,
    generated_at: datetime | None = None,
) -> AuditResult:
    """Audit one period of a database and return the scored result.

    ``database`` is a SQLAlchemy URL or engine (default: the settings' database_url),
    or an engine of :mod:`nexus_audit.engines` such as Spark's;
    ``month`` is ``YYYY-MM`` or a :class:`Period` (default: the last complete month).
    ``generated_at`` fixes the time the report states (default: now), so two runs over
    the same data give the same report.
    """
    settings = settings or load_settings()
    period = _period(month, settings.time_zone)
    queries = load_queries()
    named = [*(frameworks or settings.frameworks), *map(str, settings.framework_files)]
    chosen = load_frameworks(named, queries)
    assurance = load_assurance(settings, chosen)

    mapping = Mapping.build(settings.mapping)
    needed = _needed_queries(chosen, queries)
    moment = generated_at or datetime.now(UTC)
    values = _parameters(needed, period, settings, moment)
    allowed = Allowlist.parse(settings.allowlist)

    if isinstance(database, QueryEngine):
        source = database.description
        log.info("auditing %s for %s", source, period.label)
        gathered = Gathered(
            *database.run(
                needed,
                values,
                mapping,
                timeout_s=settings.statement_timeout_seconds,
                progress=progress,
            )
        )
    else:
        source, gathered = _run_sql(
            database, settings, period, needed, values, mapping, progress
        )

    outcomes, left_out = apply_allowlist(gathered.outcomes, allowed)
    missing = gathered.tables.missing_optional
    result = _result(settings, period, source, chosen, outcomes, missing, assurance)
    result = result.model_copy(
        update={
            "allowlisted": left_out,
            "warnings": (*result.warnings, *gathered.warnings),
            "mapping": settings.mapping,
        }
    )
    result = _provenance(result, settings, gathered.server, moment)
    result = complete(result, assurance, chosen, period, settings.history_dir)
    return keep(result, settings.history_dir) if settings.history_dir else result


@dataclass(frozen=True)
class Gathered:
    """What one engine run yields before scoring."""

    tables: Inventory
    server: str
    outcomes: dict[str, Outcome]
    warnings: tuple[str, ...] = ()


def _run_sql(
    database: str | Engine | None,
    settings: Settings,
    period: Period,
    needed: list[Query],
    values: dict[str, dict[str, ParamValue]],
    mapping: Mapping,
    progress: Progress | None,
) -> tuple[str, Gathered]:
    """The queries on a SQLAlchemy engine, in one read-only snapshot."""
    engine = _engine(database, settings)
    log.info("auditing %s for %s", describe(engine.url), period.label)

    try:
        with snapshot(
            engine,
            statement_timeout_s=settings.statement_timeout_seconds,
            lock_timeout_s=settings.lock_timeout_seconds,
        ) as connection, lanes(
            engine,
            connection,
            settings.query_connections,
            statement_timeout_s=settings.statement_timeout_seconds,
            lock_timeout_s=settings.lock_timeout_seconds,
        ) as connections:
            tables = inventory(connection, mapping)
            naive = naive_time_columns(connection, mapping, tables.present)
            server = server_version(connection)
            unknown = unknown_value_warnings(connection, mapping, tables.present)
            outcomes = run_queries(
                connections,
                needed,
                values,
                tables.present,
                timeout_s=settings.statement_timeout_seconds,
                mapping=mapping,
                progress=progress,
            )
    finally:
        if not isinstance(database, Engine):
            engine.dispose()

    warnings = (*warnings_for(naive, settings.time_zone), *unknown)
    return describe(engine.url), Gathered(tables, server, outcomes, warnings)


def _period(month: str | Period | None, time_zone: str) -> Period:
    if isinstance(month, Period):
        return month
    if month:
        return Period.parse(month, time_zone)
    return Period.last_complete_month(time_zone=time_zone)


def _engine(database: str | Engine | None, settings: Settings) -> Engine:
    if isinstance(database, Engine):
        return database

    url = database or settings_url(settings)  # the argument (--database) outranks both
    if not url:
        raise ConfigError(
            "no database to audit: pass --database URL, set database_url or the "
            "[database] parts in nexus-audit.toml, or set NEXUS_AUDIT_DATABASE_URL"
        )

    return open_engine(url, password_file=settings.database_password_file)


def _needed_queries(
    frameworks: list[Framework], queries: dict[str, Query]
) -> list[Query]:
    names = [ACTIVITY_QUERY]

    for framework in frameworks:
        for control in framework.controls:
            names.extend(n for n in control.query_names() if n not in names)

    return [queries[name] for name in names]


def _parameters(
    queries: list[Query], period: Period, settings: Settings, as_of: datetime
) -> dict[str, dict[str, ParamValue]]:
    """Bound values per query: the period, incident targets, then [parameters.<query>]."""
    targets = {**DEFAULT_TARGETS, **settings.incident_targets}
    common: dict[str, ParamValue] = {
        "period_start": period.start,
        "period_end": period.end,
        "time_zone": period.time_zone,
        "as_of": as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC),
    }

    for severity, target in targets.items():
        number = severity.removeprefix("SEV-")
        common[f"sev{number}_respond_minutes"] = target.respond_minutes
        common[f"sev{number}_resolve_minutes"] = target.resolve_minutes

    by_name = {query.name: query for query in queries}
    _check_overrides(settings, by_name)
    values: dict[str, dict[str, ParamValue]] = {}

    for query in queries:
        declared = {param.name for param in query.params}
        chosen = {k: v for k, v in common.items() if k in declared}
        values[query.name] = {**chosen, **settings.parameters.get(query.name, {})}

    return values


def _check_overrides(settings: Settings, queries: dict[str, Query]) -> None:
    for name, overrides in settings.parameters.items():
        if name not in queries:
            raise ConfigError(
                f"setting 'parameters.{name}' names no query this audit runs; "
                f"choose from {sorted(queries)}"
            )
        declared = {param.name for param in queries[name].params}
        for key in overrides:
            if key not in declared or key in ("period_start", "period_end"):
                raise ConfigError(
                    f"setting 'parameters.{name}.{key}': query {name} has no such "
                    f"parameter; it takes {sorted(declared - {'period_start', 'period_end'})}"
                )


def _result(
    settings: Settings,
    period: Period,
    source: str,
    frameworks: list[Framework],
    outcomes: dict[str, Outcome],
    missing_optional: tuple[str, ...],
    assurance: Assurance,
) -> AuditResult:
    activity = _activity(outcomes[ACTIVITY_QUERY])
    controls: list[ControlResult] = []
    scores: list[FrameworkScore] = []

    for framework in frameworks:
        results, score = score_framework(
            framework,
            outcomes,
            activity,
            period,
            attestations=assurance.attestations,
            waivers=assurance.waivers,
        )
        controls.extend(results)
        scores.append(score)

    return AuditResult(
        organisation=settings.organisation,
        period=PeriodInfo(start=period.start, end=period.end, label=period.label),
        generated_at=datetime.now(UTC),
        library_version=library_version(),
        database=source,
        frameworks=tuple(scores),
        controls=tuple(controls),
        queries=tuple(_run_record(outcome) for outcome in outcomes.values()),
        activity=activity or {},
        warnings=_warnings(outcomes, missing_optional, activity),
        evidence={name: outcome.frame for name, outcome in outcomes.items()},
    )


def _activity(outcome: Outcome) -> dict[str, int] | None:
    if outcome.status != "ok" or outcome.frame.empty:
        return None

    row = outcome.frame.iloc[0]
    return {column: int(row[column]) for column in outcome.frame.columns}


def _warnings(
    outcomes: dict[str, Outcome],
    missing: tuple[str, ...],
    activity: dict[str, int] | None,
) -> tuple[str, ...]:
    warnings = [
        f"Optional table {name} is absent; its controls read 'no data'."
        for name in missing
    ]

    if activity is not None and not any(activity.values()):
        warnings.append("The period holds no audit events and no login attempts.")

    for outcome in outcomes.values():
        if outcome.status == "error":
            warnings.append(f"Query {outcome.query.name} failed: {outcome.error}")

    return tuple(warnings)


def _run_record(outcome: Outcome) -> QueryRun:
    query = outcome.query

    return QueryRun(
        name=query.name,
        description=query.description,
        file=query.path.name,
        tables=query.tables,
        state=query.state,
        notes=query.notes,
        parameters={name: iso(value) for name, value in outcome.parameters.items()},
        status=outcome.status,
        row_count=len(outcome.frame),
        duration_ms=round(outcome.duration_ms, 1),
        error=outcome.error,
        columns=query.columns,
        sql_sha256=hashlib.sha256(query.sql.encode("utf-8")).hexdigest(),
    )


def _provenance(
    result: AuditResult, settings: Settings, server: str, generated_at: datetime | None
) -> AuditResult:
    """Who ran the audit, on what server, when; and who owns each failing control."""
    owners = settings.finding_owners
    controls = tuple(
        control.model_copy(update=owners[control.control_id].model_dump())
        if control.control_id in owners
        else control
        for control in result.controls
    )
    when = generated_at or result.generated_at

    return result.model_copy(
        update={
            "generated_at": when if when.tzinfo else when.replace(tzinfo=UTC),
            "run_by": settings.auditor or _os_user(),
            "database_server": server,
            "controls": controls,
        }
    )


def _os_user() -> str:
    try:
        return f"{getpass.getuser()}@{socket.gethostname()}"
    except (KeyError, OSError):
        return "unknown"


def library_version() -> str:
    """The installed nexus-audit version, or 0+unknown in a bare source tree."""
    try:
        return version("nexus-audit")
    except PackageNotFoundError:
        return "0+unknown"
