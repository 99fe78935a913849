"""A seeded, realistic payments platform to audit: the demo database.

:func:`build_demo` creates the tables of :mod:`nexus_audit.model` in a DuckDB or
PostgreSQL database and fills 13 months of history: 5,000 accounts, their roles, about
``events`` audit events and ``events / 5`` login attempts in the reported month and the
month before (1 % of that in older months), incidents, data-subject requests and
consents. The background is built so that no detection can fire on it by chance; the
findings are the incidents planted as described by :data:`INJECTED`.

The same ``(period, events, seed)`` always yields the same rows, whichever database
holds them: everything is generated as DataFrames first (:func:`plan_demo`), then
written.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from ..errors import ConfigError, DatabaseError
from ..model import metadata
from ..period import Period
from ._assurance import prepare as prepare_assurance
from ._load import existing, loading
from ._plan import DemoPlan, plan_demo
from ._spec import INJECTED, Injected, InjectedFacts

__all__ = [
    "INJECTED",
    "DemoPlan",
    "DemoSummary",
    "Injected",
    "InjectedFacts",
    "Progress",
    "build_demo",
    "plan_demo",
    "prepare_assurance",
]

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""Called with ``(step, done, total)`` after each table or month is written."""


@dataclass(frozen=True)
class DemoSummary:
    """What a build wrote: rows per table and where the planted incidents are."""

    period: Period
    seed: int
    events: int
    rows: dict[str, int]
    injected: InjectedFacts


def _engine(url: str) -> Engine:
    try:
        return create_engine(url)
    except (ArgumentError, NoSuchModuleError) as error:
        raise ConfigError(f"cannot use database URL {url!r}: {error}") from error


def _refuse_existing(engine: Engine, replace: bool) -> list[str]:
    """The model's tables to drop; refuse to touch them unless asked to."""
    found = existing(engine)
    if found and not replace:
        names = ", ".join(repr(name) for name in found)
        exists = "table {} already exists" if len(found) == 1 else "tables {} exist"
        raise ConfigError(
            f"{exists.format(names)} in "
            f"{engine.url.render_as_string(hide_password=True)}; pass replace=True "
            "(--replace on the command line) to drop the model's tables and rebuild"
        )

    return found


def _write(
    engine: Engine, plan: DemoPlan, drop: list[str], progress: Progress | None
) -> dict[str, int]:
    rows = {table.name: 0 for table in metadata.sorted_tables}
    total = plan.steps + 1

    with loading(engine, drop) as loader:
        for done, (step, frames) in enumerate(plan.batches(), start=1):
            began = time.perf_counter()
            for name, frame in frames.items():
                loader.write(metadata.tables[name], frame)
                rows[name] += len(frame)
            logger.info(
                "wrote %s: %d rows in %.2f s",
                step,
                sum(map(len, frames.values())),
                time.perf_counter() - began,
            )
            if progress is not None:
                progress(step, done, total)
            del frames  # let the month go before the next one is generated

    if progress is not None:
        progress("indexes", total, total)

    return rows


def build_demo(
    url: str,
    period: Period,
    events: int = 1_000_000,
    seed: int = 20261,
    replace: bool = False,
    progress: Progress | None = None,
) -> DemoSummary:
    """Create and fill the demo database at ``url`` for the reported ``period``.

    Args:
        url: SQLAlchemy URL of a DuckDB file or a PostgreSQL database.
        period: the reported calendar month; the history is the 12 months before it.
        events: audit events in the reported month (and in the month before it).
        seed: the same seed and arguments always give the same rows.
        replace: drop the model's tables first if they exist (and only those).
        progress: called as ``(step, done, total)`` after each step is written.

    Raises:
        ConfigError: a model table exists and ``replace`` is false, the URL or the
            period cannot be used, or ``events`` is negative.
        DatabaseError: the database could not be reached or written.
    """
    plan = plan_demo(period, events, seed)
    engine = _engine(url)

    # Bulk loads use the driver directly, so its own errors can surface too.
    failures = (SQLAlchemyError, engine.dialect.loaded_dbapi.Error)
    try:
        drop = _refuse_existing(engine, replace)
        rows = _write(engine, plan, drop, progress)
    except failures as error:
        where = engine.url.render_as_string(hide_password=True)
        raise DatabaseError(f"could not write the demo to {where}: {error}") from error
    finally:
        engine.dispose()

    return DemoSummary(period, seed, events, rows, plan.facts)
