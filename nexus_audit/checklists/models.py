"""Pydantic models of a framework file: controls, the rule that decides each, severity."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Severity = Literal["low", "medium", "high", "critical"]
Section = Literal["access_control", "encryption", "incidents", "audit_log", "privacy"]

SEVERITY_WEIGHT: dict[str, int] = {"low": 1, "medium": 2, "high": 3, "critical": 5}


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Rule(_Strict):
    """How a data control's status follows from its query's rows.

    - ``no_rows``: pass when the query returns no rows; each row is a finding.
    - ``no_flagged``: pass when no row has ``column`` true (or filled in); an empty
      result means nothing was due, so the control is not applicable.
    - ``every_day``: pass when ``column`` holds every UTC day of the period.
    - ``all_true``: pass when the single row has ``column`` true.
    """

    type: Literal["no_rows", "no_flagged", "every_day", "all_true"]
    query: str
    column: str | None = None

    @model_validator(mode="after")
    def _column_when_needed(self) -> Rule:
        if self.type != "no_rows" and not self.column:
            raise ValueError(f"a {self.type!r} rule needs 'column'")
        return self


class Control(_Strict):
    """One checklist item: the requirement it implements and how it is judged."""

    id: str = Field(pattern=r"^[A-Z][A-Z0-9-]*-[0-9A-Za-z.()/-]+$")
    requirement: str
    title: str
    description: str
    section: Section
    severity: Severity
    kind: Literal["data", "manual"]
    rule: Rule | None = None
    evidence: tuple[str, ...] = Field(
        default=(), description="Further queries shown beside the rule's query."
    )
    population: Literal["audit_events", "login_attempts"] | None = Field(
        default=None,
        description="Activity the rule needs; none in the period means 'no data'.",
    )
    evidence_expected: str | None = None
    remediation: str

    @model_validator(mode="after")
    def _kind_matches(self) -> Control:
        if self.kind == "data" and self.rule is None:
            raise ValueError("a data control needs a rule")
        if self.kind == "manual" and (
            self.rule is not None or not self.evidence_expected
        ):
            raise ValueError("a manual control has no rule and needs evidence_expected")
        return self

    def query_names(self) -> tuple[str, ...]:
        """The rule's query first, then the extra evidence queries."""
        first = (self.rule.query,) if self.rule else ()
        return first + tuple(name for name in self.evidence if name not in first)


class Framework(_Strict):
    """A compliance framework (GDPR, PCI DSS) and its controls."""

    id: str
    name: str
    version: str
    source: str
    controls: tuple[Control, ...]

    @model_validator(mode="after")
    def _unique_ids(self) -> Framework:
        ids = [control.id for control in self.controls]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"control ids appear twice: {duplicates}")
        return self
