"""A seeded sample of evidence rows per control, for the auditor's own re-testing.

The auditor picks a few rows behind each data control and checks them against the
source systems. The draw is reproducible: ``pandas.DataFrame.sample(n, random_state=
seed)`` over the query's rows in CSV order, with the seed printed in the report. The
default seed is derived from the organisation and the period, so it changes monthly
but a report rendered twice draws the same rows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd

from ..results import AuditResult, Status

_JUDGED = (Status.PASS, Status.FAIL)


@dataclass(frozen=True, slots=True)
class SampleTable:
    """The rows drawn from one query for the controls it serves; rows start with the CSV row."""

    control_ids: tuple[str, ...]
    query: str
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    population: int


def default_seed(result: AuditResult) -> int:
    """A seed fixed by the organisation and the period, below 2**32."""
    text = f"{result.organisation}\0{result.period.label}".encode()
    return int(hashlib.sha256(text).hexdigest()[:8], 16)


def draw(frame: pd.DataFrame, size: int, seed: int) -> pd.DataFrame:
    """``size`` rows (all if fewer) in CSV order, with their 1-based CSV row number."""
    numbered = frame.reset_index(drop=True)
    chosen = numbered.sample(n=min(size, len(numbered)), random_state=seed)
    chosen = chosen.sort_index()
    chosen.insert(0, "csv_row", chosen.index + 1)

    return chosen


def _judged_queries(result: AuditResult) -> dict[str, list[str]]:
    """Query name -> the judged data controls that rely on it, in control order."""
    served: dict[str, list[str]] = {}

    for control in result.controls:
        if control.kind != "data" or control.status not in _JUDGED:
            continue
        for query in control.queries:
            served.setdefault(query, []).append(control.control_id)

    return served


def samples(result: AuditResult, size: int, seed: int) -> list[SampleTable]:
    """One table per query with rows that a judged data control relies on.

    The draw depends only on the query's rows and the seed, so controls sharing a query
    share its sample; printing it once per control would only repeat the same rows.
    """
    if size == 0:
        return []

    tables = []
    for query, control_ids in _judged_queries(result).items():
        frame = result.frame(query)
        if frame.empty:
            continue

        chosen = draw(frame, size, seed).astype(object)
        tables.append(
            SampleTable(
                tuple(control_ids),
                query,
                tuple(str(c) for c in chosen.columns),
                tuple(chosen.itertuples(index=False, name=None)),
                len(frame),
            )
        )

    return tables
