"""The immutable result of one audit: what the renderers and exporters read.

Renderers never query the database and never re-score: everything a report shows is in
an :class:`AuditResult`, plus the evidence DataFrames it carries.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field


class Status(StrEnum):
    """A control's verdict for the period."""

    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"
    MANUAL = "manual"
    ERROR = "error"
    NO_DATA = "no_data"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PeriodInfo(Frozen):
    """The audited period, half-open ``[start, end)`` in UTC."""

    start: datetime
    end: datetime
    label: str = Field(description="YYYY-MM for a calendar month.")


class QueryRun(Frozen):
    """How one named query ran."""

    name: str
    description: str
    file: str = Field(description="Query file name inside queries/.")
    tables: tuple[str, ...]
    state: str = Field(
        description="What the query judges: period, period_end or current."
    )
    notes: tuple[str, ...] = Field(
        default=(), description="Caveats stated in the file."
    )
    parameters: dict[str, str | int | float | bool] = Field(
        description="Bound values, as sent (timestamps in ISO form)."
    )
    status: str = Field(description="ok, error or missing_table.")
    row_count: int = 0
    duration_ms: float = 0.0
    error: str | None = None
    columns: tuple[tuple[str, str], ...] = Field(description="Declared (name, type).")


class ControlResult(Frozen):
    """One control's status with the reason and the evidence behind it."""

    control_id: str
    framework: str
    requirement: str
    title: str
    description: str
    section: str = Field(description="Report section the control belongs to.")
    severity: str
    kind: str = Field(description="data or manual.")
    status: Status
    reason: str = Field(description="One sentence an auditor can check.")
    queries: tuple[str, ...] = ()
    finding_count: int | None = Field(
        default=None, description="Rows that break the rule, when the rule counts rows."
    )
    evidence_expected: str | None = Field(
        default=None, description="For manual controls: what the auditor should see."
    )
    remediation: str = ""


class FrameworkScore(Frozen):
    """Severity-weighted share of assessed controls that pass."""

    framework: str
    name: str
    version: str
    score: float | None = Field(
        description="Percent of assessed weight that passes; None when nothing was assessed."
    )
    counts: dict[str, int] = Field(description="Number of controls per status.")
    assessed_weight: int
    passed_weight: int
    is_complete: bool = Field(description="False when any control is in error.")


class AuditResult(BaseModel):
    """Everything one audit produced. Evidence frames are excluded from JSON."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    organisation: str
    period: PeriodInfo
    generated_at: datetime
    library_version: str
    database: str = Field(description="Dialect and database name, never credentials.")
    frameworks: tuple[FrameworkScore, ...]
    controls: tuple[ControlResult, ...]
    queries: tuple[QueryRun, ...]
    activity: dict[str, int] = Field(
        description="Rows the period holds per population (audit events, attempts, ...)."
    )
    warnings: tuple[str, ...] = ()
    evidence: dict[str, Any] = Field(default_factory=dict, exclude=True)

    @property
    def is_complete(self) -> bool:
        """False when a query failed, so some controls read "error"."""
        return all(q.status != "error" for q in self.queries)

    def frame(self, query: str) -> pd.DataFrame:
        """The evidence rows of one query (empty, with its columns, if it did not run)."""
        frame = self.evidence.get(query)
        if isinstance(frame, pd.DataFrame):
            return frame
        return pd.DataFrame()

    def failing(self) -> list[ControlResult]:
        """Controls whose status is fail."""
        return [c for c in self.controls if c.status is Status.FAIL]
