"""One month of login attempts and audit events, as two DataFrames.

The attempts come first (background, planted last logins and, in the reported month,
the attacks); the audit log then gets one event per attempt, the background work and
the events mirroring other tables, merged in time order. Ids continue from the month
before, so they are unique across the table and follow time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..period import Period
from ._access import holders
from ._audit import EVENT_TYPES, OUTCOMES, bulk, login_events, mirrored, vocabularies
from ._clock import month, stream
from ._frames import Columns, Vocabulary, categorical, concat, ids, take, timestamps
from ._logins import REASONS, Lexicon, Quiet, attacks, background
from ._people import People
from ._records import Records

LOGIN_SHARE = 5
"""One audit event in five is a login attempt."""


@dataclass(frozen=True)
class Setting:
    """What every month of one demo shares."""

    period: Period
    seed: int
    people: People
    lex: Lexicon
    quiet: list[Quiet]
    records: Records
    grants: pd.DataFrame


def month_frames(
    setting: Setting,
    index: int,
    calendar: Period,
    size: int,
    first_ids: tuple[int, int],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``login_attempts`` and ``audit_log`` of month ``index`` of the history."""
    rng = stream(setting.seed, "activity", index)
    span = month(calendar)
    people, lex = setting.people, setting.lex

    logins = background(rng, people, lex, span, size // LOGIN_SHARE, setting.quiet)
    if calendar == setting.period:
        logins = concat([logins, attacks(people, lex, setting.period)])
    logins = take(logins, np.argsort(logins["time"], kind="stable"))

    echo = setting.records.between(span.start, span.end)
    vocab = vocabularies()
    count = max(size - size // LOGIN_SHARE - echo.time.size, 0)
    held = holders(setting.grants, span.start, span.end)
    events = bulk(rng, people, span, count, held, setting.quiet, vocab)

    audit = concat([login_events(logins), events, mirrored(people, echo, vocab)])
    del events

    return _attempts(lex, logins, first_ids[0]), _log(lex, audit, vocab, first_ids[1])


def _attempts(lex: Lexicon, logins: Columns, first_id: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": np.arange(logins["user"].size) + first_id,
            "user_id": ids(logins["user"]),
            "username": lex.usernames.column(logins["name"]),
            "client_ip": lex.addresses.column(logins["address"]),
            "created_at": timestamps(logins["time"]),
            "success": logins["success"],
            "failure_reason": categorical(logins["reason"], REASONS),
            "mfa_used": logins["mfa"],
            "user_agent": lex.agents.column(logins["agent"]),
            "country": lex.countries.column(logins["country"]),
        },
        copy=False,
    )


def _log(
    lex: Lexicon, audit: Columns, vocab: tuple[Vocabulary, Vocabulary], first_id: int
) -> pd.DataFrame:
    """Columns are put in time order one at a time: one sorted copy alive at once."""
    order = np.argsort(audit["time"], kind="stable")
    resources, details = vocab

    return pd.DataFrame(
        {
            "id": np.arange(order.size) + first_id,
            "created_at": timestamps(audit["time"][order]),
            "user_id": ids(audit["user"][order]),
            "event_type": categorical(audit["kind"][order], EVENT_TYPES),
            "actor_ip": lex.addresses.column(audit["address"][order]),
            "resource": resources.column(audit["resource"][order]),
            "outcome": categorical(audit["outcome"][order], OUTCOMES),
            "details": details.column(audit["details"][order]),
        },
        copy=False,
    )
