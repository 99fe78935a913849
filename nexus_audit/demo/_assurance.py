"""The demo's attestations, waivers and twelve months of audit history.

:func:`prepare` writes an attestation file and a waiver file beside the demo report
(dated from the reported month, so they are valid for it, bar one expired entry of
each kind to show how the report flags them) and audits each of the eleven months
before the reported one into the history store, oldest first. The reported month's
own audit then adds the twelfth record and compares itself with the eleventh.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from ..audit import run_audit
from ..config import Settings
from ..period import Period
from ._calendar import month_start
from ._spec import InjectedFacts

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]

ATTESTED = (
    ("PCI-ATT-POLICIES", "https://dms.example/pci/policies-2026.pdf"),
    ("PCI-ATT-3.6", "https://dms.example/pci/key-management.pdf"),
    ("PCI-ATT-7.2.1", "https://dms.example/pci/access-model-v4.pdf"),
    ("PCI-ATT-AUTH-SETTINGS", "sha256:5be1a0c3e8d2f1f9a47c2b6d0e8a9b7c"),
    ("PCI-ATT-10.3.3", "https://dms.example/pci/log-pipeline.pdf"),
    ("PCI-ATT-12.10.1", "https://dms.example/pci/ir-plan-v7.pdf"),
    ("GDPR-ATT-5.2", "https://dms.example/gdpr/policy-set.pdf"),
    ("GDPR-ATT-28", "file:///shared/contracts/dpa-register.xlsx"),
    ("GDPR-ATT-30", "https://dms.example/gdpr/ropa.xlsx"),
    ("PCI-10.2.1", "https://dms.example/pci/log-sources-inventory.pdf"),
)


def prepare(
    database: str,
    period: Period,
    folder: Path,
    settings: Settings,
    facts: InjectedFacts,
    progress: Progress | None = None,
) -> Settings:
    """Settings with the demo's attestation, waiver and history locations filled."""
    folder.mkdir(parents=True, exist_ok=True)
    chosen = {
        "attestations_file": settings.attestations_file
        or _write(folder / "attestations.toml", attestations(period)),
        "waivers_file": settings.waivers_file
        or _write(folder / "waivers.toml", waivers(period, facts)),
        "history_dir": settings.history_dir or folder / "history",
    }
    ready = settings.model_copy(update=chosen)
    fill_history(database, period, ready, progress)

    return ready


def fill_history(
    database: str, period: Period, settings: Settings, progress: Progress | None = None
) -> None:
    """Audit the eleven months before ``period`` into the settings' history store."""
    months = [month_start(period, offset) for offset in range(-11, 0)]

    for done, month in enumerate(months):
        if progress is not None:
            progress(month.label, done, len(months))
        run_audit(database, month, settings=settings)
        log.info("demo history: audited %s", month.label)

    if progress is not None:
        progress("done", len(months), len(months))


def attestations(period: Period) -> str:
    """TOML of the demo's attestations; the last one expired before the period ended."""
    signed = _day(period, 20)
    valid = signed + timedelta(days=180)
    entries = [
        _table(
            "attestations",
            control=control,
            result="pass",
            attested_by="Dana Reyes, QSA"
            if control.startswith("PCI")
            else "Sam Okafor, DPO",
            attested_at=signed,
            evidence=evidence,
            valid_until=valid,
        )
        for control, evidence in ATTESTED
    ]
    entries.append(
        _table(
            "attestations",
            control="PCI-ATT-12.10.2",
            result="pass",
            attested_by="Dana Reyes, QSA",
            attested_at=signed - timedelta(days=400),
            evidence="https://dms.example/pci/tabletop-2025.pdf",
            valid_until=signed - timedelta(days=35),
        )
    )

    return _document("Attestations recorded for the demo's manual checks.", entries)


def waivers(period: Period, facts: InjectedFacts) -> str:
    """TOML of the demo's waivers: one finding, part of a control, and one expired."""
    approved = _day(period, 3)
    entries = [
        _table(
            "waivers",
            id="W-DEMO-1",
            control="PCI-7.2.3",
            finding=str(facts.self_approved_grant_id),
            justification="Emergency grant during the settlement outage; reviewed the "
            "next morning by the CISO",
            requested_by="Platform on-call",
            approved_by="CISO",
            approved_at=approved,
            expires=approved + timedelta(days=90),
        ),
        _table(
            "waivers",
            id="W-DEMO-2",
            control="PCI-8.2.6",
            finding=str(facts.dormant_user_ids[0]),
            justification="Seasonal staff account kept for the year-end peak",
            requested_by="Operations lead",
            approved_by="CISO",
            approved_at=approved,
            expires=approved + timedelta(days=120),
        ),
        _table(
            "waivers",
            id="W-DEMO-3",
            control="GDPR-33.1",
            justification="Authority portal outage (expired: not applied)",
            requested_by="DPO",
            approved_by="General Counsel",
            approved_at=approved - timedelta(days=90),
            expires=approved - timedelta(days=30),
        ),
    ]

    return _document("Approved exceptions for the demo.", entries)


def _day(period: Period, day: int) -> date:
    return (period.start + timedelta(days=day - 1)).date()


def _table(array: str, **fields: object) -> str:
    lines = [f"[[{array}]]"]
    for key, value in fields.items():
        text = value.isoformat() if isinstance(value, date) else _quote(str(value))
        lines.append(f"{key} = {text}")
    return "\n".join(lines)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _document(title: str, entries: list[str]) -> str:
    return f"# {title}\n\n" + "\n\n".join(entries) + "\n"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
