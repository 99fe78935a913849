"""Parts of an audit result about assurance: attestations, waivers, families, the run.

They sit apart from :mod:`results` so that module stays readable; an
:class:`~nexus_audit.results.AuditResult` carries them, and the renderers, exporters and
the history store read them from there.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AttestationRecord(_Frozen):
    """A person's recorded result for a control, and whether it covers the period."""

    control_id: str
    result: str = Field(description="pass or fail, as attested.")
    attested_by: str
    attested_at: date
    evidence: str = Field(description="Link, path or hash of the evidence seen.")
    valid_until: date
    state: str = Field(description="valid, expired or not_yet_valid for the period.")
    owner: str | None = None
    due: date | None = None
    note: str | None = None


class WaiverRecord(_Frozen):
    """An approved exception for a control or one of its findings."""

    waiver_id: str
    control_id: str
    finding: str | None = Field(
        default=None,
        description="Key of the one finding waived; None waives the control.",
    )
    justification: str
    requested_by: str
    approved_by: str
    approved_at: date | None = None
    expires: date
    state: str = Field(
        description="active, expired or invalid (approved by requester)."
    )
    applied: bool = Field(default=False, description="True when it covered a finding.")


class FamilyScore(_Frozen):
    """The score of one requirement family (PCI DSS requirement, GDPR chapter)."""

    family: str
    title: str
    score: float | None
    score_with_waivers: float | None
    assessed_weight: int
    passed_weight: int
    counts: dict[str, int]


class RunRecord(_Frozen):
    """Who ran the audit, when, against which versions, and which queries read what.

    nexus_audit never writes to the audited database, so this record is where its own
    reads of the audit log (PCI DSS 10.2.1.3) are accounted for.
    """

    run_by: str
    host: str
    run_at: datetime = Field(
        description="When it ran, as the report states it (fixed by --generated-at)."
    )
    library_version: str
    frameworks: dict[str, str] = Field(description="Framework id to version scored.")
    queries: tuple[str, ...] = Field(description="Every query sent, in order.")
    audit_log_queries: tuple[str, ...] = Field(
        description="The queries that read the audit_log table."
    )
    attestation_file: str | None = None
    waiver_file: str | None = None
    history_store: str | None = None


class FindingChange(_Frozen):
    """A finding compared with the previous period's: new, still open or resolved."""

    finding_id: str = Field(description="Control id, then the finding's key.")
    control_id: str
    framework: str
    title: str
    change: str = Field(description="new, open or resolved.")


class TrendSummary(_Frozen):
    """What the history store says about this period compared with earlier ones."""

    previous_period: str | None = None
    periods: tuple[str, ...] = Field(default=(), description="Periods with a record.")
    changes: tuple[FindingChange, ...] = ()

    def of(self, change: str) -> list[FindingChange]:
        """The findings of one kind of change: new, open or resolved."""
        return [item for item in self.changes if item.change == change]
