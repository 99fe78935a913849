"""Attestations: the results people record for what the data cannot show.

A TOML file with one ``[[attestations]]`` table per control::

    [[attestations]]
    control = "PCI-ATT-3.4.2"
    result = "pass"                      # or "fail"
    attested_by = "Dana Reyes, QSA"
    attested_at = 2026-11-20
    evidence = "https://dms.example/pci/3.4.2-vdi-config.pdf"   # link, path or hash
    valid_until = 2027-05-31

An attestation counts for a period only when it is valid through the period's last day;
an expired one leaves its control "not assessed" and is flagged in the report. Errors
name the file, the line and the field.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .checklists._locate import explain, line_of_control
from .errors import ConfigError
from .period import Period
from .result_parts import AttestationRecord

ARRAY = "attestations"


class Attestation(BaseModel):
    """One recorded result: which control, what result, who, when, on what evidence."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    control: str = Field(min_length=1)
    result: Literal["pass", "fail"]
    attested_by: str = Field(min_length=1)
    attested_at: date
    evidence: str = Field(min_length=1)
    valid_until: date
    owner: str | None = None
    due: date | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Attestation:
        if self.valid_until < self.attested_at:
            raise ValueError("valid_until is before attested_at")
        return self

    def state(self, period: Period) -> str:
        """valid when it covers the period's last day, expired when it ends before."""
        last_day = (period.end - timedelta(microseconds=1)).date()
        return "valid" if self.valid_until >= last_day else "expired"

    def record(self, period: Period) -> AttestationRecord:
        """The attestation as the result carries it, with its state for ``period``."""
        return AttestationRecord(
            control_id=self.control,
            result=self.result,
            attested_by=self.attested_by,
            attested_at=self.attested_at,
            evidence=self.evidence,
            valid_until=self.valid_until,
            state=self.state(period),
            owner=self.owner,
            due=self.due,
            note=self.note,
        )


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    attestations: list[Attestation] = Field(default_factory=list)


def load_attestations(
    path: Path | str, known_controls: Iterable[str] = ()
) -> list[Attestation]:
    """Read and check an attestation file; errors name the file, line and field."""
    path = Path(path)
    text, data = _read(path)

    try:
        entries = _File.model_validate(data).attestations
    except ValidationError as error:
        raise ConfigError(explain(path, text, data, error, ARRAY)) from error

    _check_controls(path, text, entries, set(known_controls))

    return entries


def latest_by_control(entries: Iterable[Attestation]) -> dict[str, Attestation]:
    """The most recent attestation of each control."""
    chosen: dict[str, Attestation] = {}

    for entry in sorted(entries, key=lambda item: item.attested_at):
        chosen[entry.control] = entry

    return chosen


def _read(path: Path) -> tuple[str, dict[str, object]]:
    try:
        text = path.read_text(encoding="utf-8")
        return text, tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the file: {error}") from error


def _check_controls(
    path: Path, text: str, entries: list[Attestation], known: set[str]
) -> None:
    if not known:
        return

    for index, entry in enumerate(entries):
        if entry.control not in known:
            line = line_of_control(text, index, "control", ARRAY)
            raise ConfigError(
                f"{path}:{line}: attestation {entry.control}: field control: no "
                "control of the frameworks scored has this id"
            )
