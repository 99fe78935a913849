"""The immutable result of one audit: what the renderers and exporters read.

Renderers never query the database and never re-score: everything a report shows is in
an :class:`AuditResult`, plus the evidence DataFrames it carries.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from .mapping import TableMap
from .result_parts import (
    AttestationRecord,
    FamilyScore,
    RunRecord,
    TrendSummary,
    WaiverRecord,
)


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
    status: str = Field(description="ok, error, missing_table or missing_column.")
    row_count: int = 0
    duration_ms: float = 0.0
    error: str | None = None
    columns: tuple[tuple[str, str], ...] = Field(description="Declared (name, type).")
    sql_sha256: str = Field(
        default="", description="SHA-256 of the SQL text sent, in hex (the manifest's)."
    )


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
    owner: str | None = Field(
        default=None, description="Who must resolve a finding (settings or attestation)."
    )
    due: date | None = Field(default=None, description="When a finding must be resolved.")
    reference: str | None = Field(
        default=None, description="Row of the controls reference the control implements."
    )
    coverage: str | None = Field(
        default=None, description="D: data decides (application layer); P: partial."
    )
    attestation_request: str | None = Field(
        default=None, description="For a P control: the attestation asked for as well."
    )
    attestation: AttestationRecord | None = Field(
        default=None, description="The attestation on file for this control, if any."
    )
    family: str = Field(default="", description="Scoring family (requirement, chapter).")
    weight: int = Field(default=0, description="Severity weight in the score.")
    gain: float | None = Field(
        default=None, description="Points the framework score gains when this passes."
    )
    finding_keys: tuple[str, ...] = Field(
        default=(), description="Stable keys of the findings, for waivers and history."
    )
    waived: bool = Field(
        default=False, description="Every finding (or the control) is under a waiver."
    )
    waivers: tuple[str, ...] = Field(default=(), description="Ids of waivers applied.")
    waived_findings: int = Field(default=0, description="Findings under a waiver.")


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
    score_with_waivers: float | None = Field(
        default=None, description="The score with waived controls counted as passing."
    )
    passed_weight_with_waivers: int = 0
    waived_controls: int = Field(default=0, description="Failing controls fully waived.")
    families: tuple[FamilyScore, ...] = Field(
        default=(), description="Scores per requirement family or GDPR chapter."
    )


class ScorePoint(Frozen):
    """One framework's score in one past or present period, for the trend chart."""

    framework: str
    period: str = Field(description="YYYY-MM.")
    score: float | None


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
    allowlisted: dict[str, int] = Field(
        default_factory=dict,
        description="Findings the allow-list left out, per query (login anomalies).",
    )
    database_server: str = Field(
        default="", description="Engine and server version, as the database reports it."
    )
    mapping: dict[str, TableMap] = Field(
        default_factory=dict,
        description="Where each mapped model table was read from (setting 'mapping').",
    )
    run_by: str = Field(default="", description="Who ran the audit (setting or OS user).")
    score_history: tuple[ScorePoint, ...] = Field(
        default=(), description="Scores of earlier periods and this one, oldest first."
    )
    run: RunRecord | None = Field(
        default=None, description="Who ran the audit, when, which versions and queries."
    )
    attestations: tuple[AttestationRecord, ...] = Field(
        default=(), description="Attestations on file, with their state for the period."
    )
    waivers: tuple[WaiverRecord, ...] = Field(
        default=(), description="Waivers on file, with their state for the period."
    )
    trend: TrendSummary | None = Field(
        default=None, description="New, still open and resolved findings (history)."
    )
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
