"""Evidence tables as the templates read them: capped rows plus what was left out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ..results import AuditResult, ControlResult, QueryRun, Status
from .widths import percentages

_NUMERIC_WORDS = ("int", "float", "double", "numeric", "decimal", "real")


@dataclass(frozen=True, slots=True)
class Column:
    """A header cell; numeric columns are right-aligned."""

    name: str
    css: str
    width: float = 0.0


@dataclass(frozen=True, slots=True)
class EvidenceTable:
    """The first rows of one query's evidence and the size of the full set."""

    name: str
    description: str
    status: str
    error: str | None
    columns: tuple[Column, ...]
    rows: tuple[tuple[object, ...], ...]
    total: int
    reported: int | None
    csv_name: str | None
    dense: bool = False

    @property
    def shown(self) -> int:
        """Rows the report shows; ``total`` rows are in the CSV."""
        return len(self.rows)

    @property
    def count_differs(self) -> bool:
        """True when the runner reported another row count than the evidence holds."""
        return self.reported is not None and self.reported != self.total


def _css(numeric: bool) -> str:
    return "num" if numeric else "text"


def _frame_columns(frame: pd.DataFrame) -> tuple[Column, ...]:
    columns = []
    for name, dtype in frame.dtypes.items():
        numeric = pd.api.types.is_numeric_dtype(dtype)
        numeric = numeric and not pd.api.types.is_bool_dtype(dtype)
        columns.append(Column(str(name), _css(numeric)))

    return tuple(columns)


def _declared_columns(run: QueryRun | None) -> tuple[Column, ...]:
    """Headers for a query without a frame, from the columns its file declares."""
    if run is None:
        return ()

    return tuple(
        Column(name, _css(any(w in kind.lower() for w in _NUMERIC_WORDS)))
        for name, kind in run.columns
    )


def _with_widths(
    columns: tuple[Column, ...], rows: tuple[tuple[object, ...], ...]
) -> tuple[tuple[Column, ...], bool]:
    """Columns with their percent widths, and whether to set the table denser."""
    shares, dense = percentages([c.name for c in columns], rows)
    sized = tuple(
        Column(column.name, column.css, share)
        for column, share in zip(columns, shares, strict=True)
    )
    return sized, dense


def _table(
    name: str, run: QueryRun | None, frame: object, row_cap: int
) -> EvidenceTable:
    description = run.description if run else ""
    reported = run.row_count if run and run.status == "ok" else None

    if not isinstance(frame, pd.DataFrame):
        status = run.status if run else "not_run"
        return EvidenceTable(
            name,
            description,
            status,
            run.error if run else None,
            _declared_columns(run),
            (),
            0,
            None,
            None,
        )

    head = frame.head(row_cap).astype(object)
    rows = tuple(head.itertuples(index=False, name=None))
    columns, dense = _with_widths(_frame_columns(frame), rows)

    return EvidenceTable(
        name,
        description,
        run.status if run else "ok",
        run.error if run else None,
        columns,
        rows,
        len(frame),
        reported,
        f"evidence/{name}.csv",
        dense,
    )


def evidence_tables(result: AuditResult, row_cap: int) -> dict[str, EvidenceTable]:
    """Every query that ran, carries evidence or is named by a control, in run order."""
    runs = {run.name: run for run in result.queries}
    named = [q for control in result.controls for q in control.queries]
    names = dict.fromkeys([*runs, *result.evidence, *named])

    return {
        name: _table(name, runs.get(name), result.evidence.get(name), row_cap)
        for name in names
    }


def passing_only(controls: Iterable[ControlResult]) -> set[str]:
    """Queries that only passing controls rely on: their rows are sampled, not printed."""
    verdicts: dict[str, set[Status]] = {}

    for control in controls:
        for name in control.queries:
            verdicts.setdefault(name, set()).add(control.status)

    return {name for name, seen in verdicts.items() if seen == {Status.PASS}}


def first_showings(controls: Iterable[ControlResult]) -> dict[str, str]:
    """Query name -> the control, in report order, under which its evidence is printed.

    A query is printed once, under the first control that does not pass: the rows behind
    a finding, an error or a "no data" matter there; a passing control names its file,
    and section 8 samples its rows. This keeps the PDF's length bound by the findings
    and the number of queries rather than by the number of controls.
    """
    shown: dict[str, str] = {}

    for control in controls:
        if control.status is Status.PASS:
            continue
        for name in control.queries:
            shown.setdefault(name, control.control_id)

    return shown
