"""Waivers: approved exceptions for a whole control or for single findings.

A TOML file with one ``[[waivers]]`` table per exception::

    [[waivers]]
    id = "W-2026-014"
    control = "PCI-8.4.1"
    finding = "4711"            # optional: the key of one finding; omit to waive the control
    justification = "Break-glass account kept in the safe; MFA token on order"
    requested_by = "Platform team"
    approved_by = "CISO"        # must be someone else
    approved_at = 2026-10-02
    expires = 2027-01-31

A waiver is active for a period when someone other than its requester approved it and
it has not expired before the period's last day. Inactive waivers are ignored and listed
with the reason. The report gives each framework's score with and without waivers.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .checklists._locate import explain, line_of_control
from .errors import ConfigError
from .period import Period
from .result_parts import WaiverRecord

ARRAY = "waivers"


class Waiver(BaseModel):
    """One exception: what it covers, why, who asked, who approved, until when."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    control: str = Field(min_length=1)
    finding: str | None = Field(default=None, min_length=1)
    justification: str = Field(min_length=1)
    requested_by: str = Field(min_length=1)
    approved_by: str = Field(min_length=1)
    approved_at: date | None = None
    expires: date

    @model_validator(mode="after")
    def _approved_before_expiry(self) -> Waiver:
        if self.approved_at and self.expires < self.approved_at:
            raise ValueError("expires is before approved_at")
        return self

    def state(self, period: Period) -> str:
        """active, expired (before the period's last day) or invalid (self-approved)."""
        if self.approved_by.strip().casefold() == self.requested_by.strip().casefold():
            return "invalid"
        last_day = (period.end - timedelta(microseconds=1)).date()

        return "active" if self.expires >= last_day else "expired"

    def covers(self, control_id: str, finding: str | None) -> bool:
        """True when this waiver is for the control and, if it names one, the finding."""
        if self.control != control_id:
            return False
        return self.finding is None or self.finding == finding

    def record(self, period: Period, applied: bool) -> WaiverRecord:
        """The waiver as the result carries it."""
        return WaiverRecord(
            waiver_id=self.id,
            control_id=self.control,
            finding=self.finding,
            justification=self.justification,
            requested_by=self.requested_by,
            approved_by=self.approved_by,
            approved_at=self.approved_at,
            expires=self.expires,
            state=self.state(period),
            applied=applied,
        )


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    waivers: list[Waiver] = Field(default_factory=list)


def load_waivers(path: Path | str, known_controls: Iterable[str] = ()) -> list[Waiver]:
    """Read and check a waiver file; errors name the file, line and field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the file: {error}") from error

    try:
        entries = _File.model_validate(data).waivers
    except ValidationError as error:
        raise ConfigError(explain(path, text, data, error, ARRAY)) from error

    _check(path, text, entries, set(known_controls))

    return entries


def _check(path: Path, text: str, entries: list[Waiver], known: set[str]) -> None:
    seen: set[str] = set()

    for index, entry in enumerate(entries):
        if entry.id in seen:
            line = line_of_control(text, index, "id", ARRAY)
            raise ConfigError(f"{path}:{line}: waiver {entry.id}: field id: used twice")
        seen.add(entry.id)

        if known and entry.control not in known:
            line = line_of_control(text, index, "control", ARRAY)
            raise ConfigError(
                f"{path}:{line}: waiver {entry.id}: field control: no control of the "
                f"frameworks scored has the id {entry.control!r}"
            )
