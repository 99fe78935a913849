"""Past results, month-over-month trends, and findings that are new, open or resolved.

Each run writes one JSON record per period into a folder the user chooses
(``history_dir``), named ``<period>.json``; running a period again replaces its record.
The record (format ``nexus-audit-history``, version 1) holds the period, when and by
which library it was made, each framework's version and scores (with and without
waivers, with status counts) and each control's status, findings and finding ids. A
finding id is the control id, then ``:`` and the finding's key (the values of the rule's
key columns joined by ``|``); a control judged as a whole has the bare control id.

History never queries the database and never re-scores: it reads results.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ConfigError
from .result_parts import FindingChange, TrendSummary
from .results import AuditResult, ControlResult, ScorePoint, Status

log = logging.getLogger(__name__)

FORMAT = "nexus-audit-history"
VERSION = 1
MONTHS = 12
_JUDGED = {Status.PASS, Status.FAIL, Status.NOT_APPLICABLE}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FrameworkEntry(_Model):
    """One framework's scores in a record."""

    framework: str
    name: str
    version: str
    score: float | None
    score_with_waivers: float | None
    counts: dict[str, int]


class ControlEntry(_Model):
    """One control's outcome in a record."""

    control_id: str
    framework: str
    title: str
    status: str
    finding_count: int | None
    waived: bool
    findings: tuple[str, ...] = Field(description="Finding ids, for a failing control.")


class HistoryRecord(_Model):
    """The stored form of one run (format nexus-audit-history, version 1)."""

    format: Literal["nexus-audit-history"] = "nexus-audit-history"
    version: Literal[1] = 1
    period: str
    period_start: datetime
    period_end: datetime
    generated_at: datetime
    library_version: str
    organisation: str
    frameworks: tuple[FrameworkEntry, ...]
    controls: tuple[ControlEntry, ...]

    def failing(self) -> dict[str, ControlEntry]:
        """Finding id to its control, for every finding of a failing control."""
        return {
            finding: entry
            for entry in self.controls
            if entry.status == Status.FAIL.value
            for finding in entry.findings
        }


def finding_ids(control: ControlResult) -> tuple[str, ...]:
    """Stable ids of a failing control's findings (empty for any other status)."""
    if control.status is not Status.FAIL:
        return ()
    keys = control.finding_keys or ("",)
    return tuple(control.control_id + (f":{key}" if key else "") for key in keys)


def record_of(result: AuditResult) -> HistoryRecord:
    """The stored form of a result."""
    return HistoryRecord(
        period=result.period.label,
        period_start=result.period.start,
        period_end=result.period.end,
        generated_at=result.generated_at,
        library_version=result.library_version,
        organisation=result.organisation,
        frameworks=tuple(
            FrameworkEntry(
                framework=score.framework,
                name=score.name,
                version=score.version,
                score=score.score,
                score_with_waivers=score.score_with_waivers,
                counts=score.counts,
            )
            for score in result.frameworks
        ),
        controls=tuple(
            ControlEntry(
                control_id=control.control_id,
                framework=control.framework,
                title=control.title,
                status=control.status.value,
                finding_count=control.finding_count,
                waived=control.waived,
                findings=finding_ids(control),
            )
            for control in result.controls
        ),
    )


def load_history(folder: Path | str) -> list[HistoryRecord]:
    """Every record in ``folder``, oldest period first; errors name the file."""
    records = []

    for path in sorted(Path(folder).glob("*.json")):
        try:
            records.append(HistoryRecord.model_validate_json(path.read_bytes()))
        except (OSError, ValidationError) as error:
            raise ConfigError(
                f"history record {path} is not a {FORMAT} version {VERSION} record: "
                f"{_first(error)}"
            ) from error

    return sorted(records, key=lambda record: record.period_start)


def save_record(folder: Path | str, record: HistoryRecord) -> Path:
    """Write (or replace) the record of its period, atomically."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{_file_name(record.period)}.json"
    text = json.dumps(record.model_dump(mode="json"), indent=1, ensure_ascii=False)

    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text + "\n")
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise ConfigError(f"cannot write history record {target}: {error}") from error

    log.info("history record written: %s", target)
    return target


def keep(result: AuditResult, folder: Path | str) -> AuditResult:
    """Store this run and return the result with its trend and finding changes."""
    current = record_of(result)
    earlier = [r for r in load_history(folder) if r.period_start < current.period_start]
    save_record(folder, current)

    return result.model_copy(
        update={
            "score_history": score_points([*earlier, current]),
            "trend": summary(earlier, current),
        }
    )


def score_points(records: Iterable[HistoryRecord]) -> tuple[ScorePoint, ...]:
    """Each framework's score in the last twelve periods, oldest first."""
    latest = sorted(records, key=lambda record: record.period_start)[-MONTHS:]

    return tuple(
        ScorePoint(framework=entry.framework, period=record.period, score=entry.score)
        for record in latest
        for entry in record.frameworks
    )


def summary(earlier: list[HistoryRecord], current: HistoryRecord) -> TrendSummary:
    """Compare the current record with the latest earlier one."""
    periods = tuple(r.period for r in [*earlier, current][-MONTHS:])
    if not earlier:
        return TrendSummary(previous_period=None, periods=periods, changes=())

    previous = earlier[-1]
    return TrendSummary(
        previous_period=previous.period,
        periods=periods,
        changes=changes(previous, current),
    )


def changes(
    previous: HistoryRecord, current: HistoryRecord
) -> tuple[FindingChange, ...]:
    """Findings new since, still open from, or resolved since the previous record.

    A finding counts as resolved only when its control was judged again (pass, fail or
    nothing due); a control that now reads "no data" or "error" resolves nothing.
    """
    before, now = previous.failing(), current.failing()
    judged = {e.control_id for e in current.controls if Status(e.status) in _JUDGED}
    items = [
        _change(fid, entry, "new") for fid, entry in now.items() if fid not in before
    ]
    items += [
        _change(fid, entry, "open") for fid, entry in now.items() if fid in before
    ]
    items += [
        _change(fid, entry, "resolved")
        for fid, entry in before.items()
        if fid not in now and entry.control_id in judged
    ]

    return tuple(items)


def _change(finding: str, entry: ControlEntry, kind: str) -> FindingChange:
    return FindingChange(
        finding_id=finding,
        control_id=entry.control_id,
        framework=entry.framework,
        title=entry.title,
        change=kind,
    )


def _file_name(period: str) -> str:
    return re.sub(r"[^0-9A-Za-z-]+", "_", period).strip("_")


def _first(error: Exception) -> str:
    if isinstance(error, ValidationError):
        item = error.errors()[0]
        where = ".".join(str(part) for part in item["loc"]) or "record"
        return f"field {where}: {item['msg']}"
    return str(error)
