"""Pydantic models of a framework file: controls, the rule that decides each, severity."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Severity = Literal["low", "medium", "high", "critical"]
Section = Literal[
    "access_control",
    "encryption",
    "incidents",
    "audit_log",
    "privacy",
    "login_anomalies",
]
EmptyStatus = Literal["pass", "fail", "not_applicable", "no_data"]
Scalar = str | int | bool

SEVERITY_WEIGHT: dict[str, int] = {"low": 1, "medium": 2, "high": 3, "critical": 5}


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Rule(_Strict):
    """How a data control's status follows from its query's rows.

    - ``no_rows``: pass when the query returns no rows; each row is a finding.
    - ``no_flagged``: pass when no row has ``column`` true, filled in or above zero; an
      empty result means nothing was due, so the control is not applicable.
    - ``every_day``: pass when ``column`` holds every UTC day of the period.
    - ``all_true``: pass when the single row has ``column`` true.
    - ``count``: the query counts; ``column`` summed over its rows is the number of
      findings and ``population`` summed is how many things were judged. Nothing
      judged reads "no data".

    ``where`` keeps only the rows whose columns equal the values given, so one query
    can serve several controls; ``if_empty`` overrides the status of an empty result
    (or an empty population); ``key`` names the columns that identify a finding, so a
    waiver can name one finding and the history can follow it from month to month.
    """

    type: Literal["no_rows", "no_flagged", "every_day", "all_true", "count"]
    query: str
    column: str | None = None
    population: str | None = None
    where: dict[str, Scalar] = Field(default_factory=dict)
    if_empty: EmptyStatus | None = None
    key: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _columns_when_needed(self) -> Rule:
        if self.type != "no_rows" and not self.column:
            raise ValueError(f"a {self.type!r} rule needs 'column'")
        if self.type == "count" and not self.population:
            raise ValueError("a 'count' rule needs 'population'")
        if self.type != "count" and self.population:
            raise ValueError("only a 'count' rule takes 'population'")
        return self

    def columns(self) -> tuple[str, ...]:
        """Every result column the rule reads."""
        named = (self.column, self.population, *self.where, *self.key)
        return tuple(dict.fromkeys(name for name in named if name))


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
    reference: str | None = Field(
        default=None,
        description="The row of the controls reference this control implements.",
    )
    coverage: Literal["D", "P"] | None = Field(
        default=None,
        description="D: the data decides; P: partial, an attestation is also needed.",
    )
    attestation: str | None = Field(
        default=None,
        description="For a P control: the attestation asked for beside the data.",
    )
    family: str | None = Field(
        default=None,
        description="Scoring family; by default the requirement or GDPR chapter.",
    )

    @model_validator(mode="after")
    def _kind_matches(self) -> Control:
        if self.kind == "data" and self.rule is None:
            raise ValueError("a data control needs a rule")
        if self.kind == "manual" and (
            self.rule is not None or not self.evidence_expected
        ):
            raise ValueError("a manual control has no rule and needs evidence_expected")
        if self.coverage == "P" and not self.attestation:
            raise ValueError("a partial (P) control needs 'attestation'")
        return self

    def query_names(self) -> tuple[str, ...]:
        """The rule's query first, then the extra evidence queries."""
        first = (self.rule.query,) if self.rule else ()
        return first + tuple(name for name in self.evidence if name not in first)


class Framework(_Strict):
    """A compliance framework (GDPR, PCI DSS) and its controls."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
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
