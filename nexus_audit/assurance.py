"""What people add to an audit: attestations, waivers, and the run's own record.

Loaded before the database is touched, so a bad attestation or waiver file stops the
audit at once with the file, line and field at fault.
"""

from __future__ import annotations

import getpass
import socket
from dataclasses import dataclass, field
from pathlib import Path

from .attestations import Attestation, latest_by_control, load_attestations
from .checklists import Framework
from .config import Settings
from .period import Period
from .result_parts import AttestationRecord, RunRecord, WaiverRecord
from .results import AuditResult, ControlResult
from .runner import NOT_RUN
from .waivers import Waiver, load_waivers


@dataclass(frozen=True)
class Assurance:
    """The attestations and waivers an audit applies, and where they came from."""

    attestations: dict[str, Attestation] = field(default_factory=dict)
    waivers: list[Waiver] = field(default_factory=list)
    attestation_file: Path | None = None
    waiver_file: Path | None = None


def load_assurance(settings: Settings, frameworks: list[Framework]) -> Assurance:
    """Read the settings' attestation and waiver files, checked against the catalog."""
    known = [control.id for framework in frameworks for control in framework.controls]
    attestations: list[Attestation] = []
    waivers: list[Waiver] = []

    if settings.attestations_file is not None:
        attestations = load_attestations(settings.attestations_file, known)
    if settings.waivers_file is not None:
        waivers = load_waivers(settings.waivers_file, known)

    return Assurance(
        attestations=latest_by_control(attestations),
        waivers=waivers,
        attestation_file=settings.attestations_file,
        waiver_file=settings.waivers_file,
    )


def complete(
    result: AuditResult,
    assurance: Assurance,
    frameworks: list[Framework],
    period: Period,
    history_dir: Path | None,
) -> AuditResult:
    """The result with its attestation and waiver records and the run record."""
    applied = {waiver for c in result.controls for waiver in c.waivers}
    attested = {c.control_id: c for c in result.controls}

    attestations = tuple(
        entry.record(period)
        for control_id, entry in sorted(assurance.attestations.items())
        if control_id in attested
    )
    waivers = tuple(w.record(period, w.id in applied) for w in assurance.waivers)
    run = _run_record(result, assurance, frameworks, history_dir)

    controls = tuple(
        _attach(c, _find(attestations, c.control_id)) for c in result.controls
    )
    return result.model_copy(
        update={
            "controls": controls,
            "attestations": attestations,
            "waivers": waivers,
            "run": run,
            "warnings": result.warnings + _warnings(attestations, waivers),
        }
    )


def _attach(control: ControlResult, record: AttestationRecord | None) -> ControlResult:
    """The attestation on the control; its owner and due date fill gaps the settings left."""
    if record is None:
        return control

    return control.model_copy(
        update={
            "attestation": record,
            "owner": control.owner or record.owner,
            "due": control.due or record.due,
        }
    )


def _find(
    records: tuple[AttestationRecord, ...], control_id: str
) -> AttestationRecord | None:
    return next((r for r in records if r.control_id == control_id), None)


def _run_record(
    result: AuditResult,
    assurance: Assurance,
    frameworks: list[Framework],
    history_dir: Path | None,
) -> RunRecord:
    queries = tuple(run.name for run in result.queries if run.status not in NOT_RUN)
    reads = tuple(
        run.name
        for run in result.queries
        if "audit_log" in run.tables and run.status not in NOT_RUN
    )

    return RunRecord(
        run_by=result.run_by or _user(),
        host=_host(),
        run_at=result.generated_at,
        library_version=result.library_version,
        frameworks={f.id: f.version for f in frameworks},
        queries=queries,
        audit_log_queries=reads,
        attestation_file=_text(assurance.attestation_file),
        waiver_file=_text(assurance.waiver_file),
        history_store=_text(history_dir),
    )


def _warnings(
    attestations: tuple[AttestationRecord, ...], waivers: tuple[WaiverRecord, ...]
) -> tuple[str, ...]:
    notes = [
        f"Attestation of {a.control_id} by {a.attested_by} expired on "
        f"{a.valid_until.isoformat()}; the control is not assessed."
        for a in attestations
        if a.state != "valid"
    ]
    notes += [
        f"Waiver {w.waiver_id} ({w.control_id}) is {w.state} and was ignored."
        for w in waivers
        if w.state != "active"
    ]

    return tuple(notes)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _host() -> str:
    try:
        return socket.gethostname()
    except OSError:
        return "unknown"


def _text(path: Path | None) -> str | None:
    return str(path) if path is not None else None
