"""The whole demo as a sequence of DataFrame batches, before any database is involved.

Generating first and writing second is what makes a build identical in DuckDB and in
PostgreSQL. The small tables come first, then one batch per month of login attempts
and audit events, so memory holds one month at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..errors import ConfigError
from ..period import Period
from ._access import grants, roles
from ._clock import history, stream, us
from ._governance import consents, incidents, requests
from ._logins import Lexicon, quiet_windows
from ._month import Setting, month_frames
from ._people import People, people
from ._records import records
from ._registers import evidence
from ._spec import InjectedFacts

THIN = 0.01
"""Share of the full volume kept for the 11 older months."""

Batch = tuple[str, dict[str, pd.DataFrame]]


def _ids(positions: Iterable[Any]) -> tuple[int, ...]:
    return tuple(int(p) + 1 for p in positions)


@dataclass(frozen=True)
class DemoPlan:
    """Everything needed to generate one demo; the bulk is produced lazily."""

    period: Period
    events: int
    seed: int
    people: People
    tables: dict[str, pd.DataFrame]
    facts: InjectedFacts

    @property
    def steps(self) -> int:
        """How many batches :meth:`batches` yields."""
        return len(self.tables) + len(history(self.period))

    def batches(self) -> Iterator[Batch]:
        """The small tables one by one, then each month's two bulk tables."""
        for name, frame in self.tables.items():
            yield name, {name: frame}

        yield from self._months()

    def _months(self) -> Iterator[Batch]:
        months = history(self.period)
        start, end = us(months[0].start), us(self.period.end)
        rng = stream(self.seed, "records")
        setting = Setting(
            period=self.period,
            seed=self.seed,
            people=self.people,
            lex=Lexicon.of(self.people),
            quiet=quiet_windows(self.people, self.period),
            records=records(rng, self.people, self.tables, start, end),
            grants=self.tables["role_grants"],
        )
        first_ids = (1, 1)

        for index, calendar in enumerate(months):
            dense = index >= len(months) - 2
            size = self.events if dense else round(self.events * THIN)
            attempts, log = month_frames(setting, index, calendar, size, first_ids)
            first_ids = (first_ids[0] + len(attempts), first_ids[1] + len(log))

            # Hand the month over without keeping a reference: one month in memory.
            batch = {"login_attempts": attempts, "audit_log": log}
            del attempts, log
            yield calendar.label, batch
            del batch


def plan_demo(period: Period, events: int = 1_000_000, seed: int = 20261) -> DemoPlan:
    """Generate the small tables and decide every planted fact.

    Raises:
        ConfigError: ``period`` is not a calendar month or ``events`` is negative.
    """
    if period != Period.month(period.start.year, period.start.month):
        raise ConfigError(f"the demo covers a calendar month, got {period.label!r}")
    if events < 0:
        raise ConfigError(f"events must be zero or more, got {events!r}")

    staff = people(period, seed)
    role_grants, self_approved = grants(staff, period, seed)
    security_incidents, planted = incidents(period, seed)
    subject_requests, late_request = requests(staff, period, seed)
    cast = staff.cast

    facts = InjectedFacts(
        takeover_user_id=cast.takeover + 1,
        spray_user_ids=_ids(cast.spray),
        dormant_user_ids=_ids(sorted(cast.dormant)),
        dormant_disabled_user_ids=_ids(sorted(cast.dormant_disabled)),
        without_mfa_user_ids=_ids(sorted(cast.without_mfa)),
        revoked_without_mfa_user_id=cast.revoked_without_mfa + 1,
        self_approved_grant_id=self_approved,
        late_request_id=late_request,
        late_breach_incident_id=planted[0],
        past_target_incident_ids=tuple(planted[1:]),
    )
    tables = {
        "users": staff.frame,
        "roles": roles(),
        "role_grants": role_grants,
        "security_incidents": security_incidents,
        "data_subject_requests": subject_requests,
        "consents": consents(staff, seed),
    }
    tables.update(evidence(period, staff, tables, seed))

    return DemoPlan(period, events, seed, staff, tables, facts)
