"""The full catalog on the hand-worked February 2026 scenario (``scenario.py``).

The scenario has none of the catalog's evidence tables filled, so most new controls
read "no data", "not applicable" or fail for an empty register; the ones that read the
core tables were worked out by hand from the rows in ``scenario.py``, as the comments
say. ``test_audit`` asserts these together with the original controls.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd

from nexus_audit import AuditResult, Status, run_audit
from nexus_audit.config import Settings

from .conftest import Backend
from .scenario import PERIOD, february, t

CHECKLISTS = Path(__file__).resolve().parents[1] / "nexus_audit" / "checklists"
FAIL, PASS, NA, NO = Status.FAIL, Status.PASS, Status.NOT_APPLICABLE, Status.NO_DATA

CATALOG_EXPECTED = {
    # Requirement 3 and 4: no data inventory, keys, transmissions or retention schedule.
    "PCI-3.2.1": (FAIL, 1),  # no account-data category: nothing on record
    "PCI-3.3.1": (NO, None),  # no field scanned
    "PCI-3.3.2": (NA, 0),
    "PCI-3.4.1": (PASS, 0),  # no pan_unmasked event
    "PCI-3.5.1": (NA, 0),
    "PCI-3.7.4": (NO, None),
    "PCI-4.2.1": (NO, None),
    "PCI-4.2.1.1": (NO, None),
    # Requirement 7: six grants held at 03-01 by enabled accounts (alice, bob, erin,
    # svc-batch, gina, hank; frank's was revoked, ivan's starts 03-01), none with a job
    # function on record; no review, no risk analysis.
    "PCI-7.2.1": (FAIL, 6),
    "PCI-7.2.4": (FAIL, 1),
    "PCI-7.2.5": (FAIL, 1),
    "PCI-7.2.6": (PASS, 0),
    "PCI-7.3.1": (PASS, 0),  # no admin_action or config_change event
    # Requirement 8: names are unique and every February event names a user; bob is
    # the only enabled person without MFA whose password (2025-01-01) is older than 90
    # days (erin's dates from 2026-01-10); svc-batch has no rotation interval.
    "PCI-8.2.1": (PASS, 0),
    "PCI-8.2.2": (PASS, 0),
    "PCI-8.2.4": (NA, 0),  # nobody was created in February
    "PCI-8.2.5": (PASS, 0),
    "PCI-8.2.7": (NA, 0),
    "PCI-8.2.8": (NO, None),
    "PCI-8.3.1": (NO, None),
    "PCI-8.3.2": (NO, None),
    "PCI-8.3.3": (NO, None),
    "PCI-8.3.5": (NA, 0),
    "PCI-8.3.6": (FAIL, 1),  # no password policy in force
    "PCI-8.3.7": (FAIL, 1),
    "PCI-8.3.9": (FAIL, 1),
    "PCI-8.3.10.1": (NA, 0),
    "PCI-8.4.2": (PASS, 0),  # no role carries cde_access
    "PCI-8.4.3": (NA, 0),
    "PCI-8.5.1": (PASS, 0),
    "PCI-8.6.1": (PASS, 0),
    "PCI-8.6.3": (FAIL, 1),
    # Requirement 10. Failed attempts vs failed_login events per day: 02-01 2/3,
    # 02-03 10/0, 02-08 0/5, 02-10 6/0, 02-11 10/0, 02-12 12/0. Three grants and one
    # revocation in February have no event. Gaps of 2 h or more: 00:20-12:00 on 02-01,
    # the five days to 02-06 12:00 and on to 02-07 08:00, 08:50-12:00 and on to 02-08
    # 08:00, 08:48-12:00, the twenty days 02-08 to 02-28, and 12:00 to the period end:
    # 1 + 6 + 2 + 1 + 20 + 1 = 31. No log review on any of the 28 days.
    "PCI-10.2.1.1": (NO, None),
    "PCI-10.2.1.2": (NO, None),
    "PCI-10.2.1.3": (FAIL, 1),  # no read of the audit log is logged
    "PCI-10.2.1.4": (FAIL, 6),
    "PCI-10.2.1.5": (FAIL, 4),
    "PCI-10.2.1.6": (FAIL, 31),
    "PCI-10.2.1.7": (NA, 0),
    "PCI-10.2.2": (PASS, 0),
    "PCI-10.3.1": (PASS, 0),
    "PCI-10.3.2": (PASS, 0),
    "PCI-10.4.1": (FAIL, 28),
    "PCI-10.4.1.1": (FAIL, 28),
    "PCI-10.4.2": (FAIL, 1),
    "PCI-10.4.3": (PASS, 0),
    "PCI-10.6.1": (PASS, 0),
    "PCI-10.7.2": (FAIL, 28),
    # Requirement 12: three SEV-1/SEV-2 incidents resolved in February lack details.
    "PCI-12.10.1-B": (NA, 0),
    "PCI-12.10.2": (FAIL, 1),
    "PCI-12.10.3": (FAIL, 1),  # the whole month uncovered
    "PCI-12.10.5": (PASS, 0),
    "PCI-12.10.6": (FAIL, 3),
    "PCI-12.10.7": (NA, 0),
    "PCI-12.3.1": (FAIL, 4),  # the four required analyses are missing
    # GDPR. All eight requests are access requests; four were completed in February
    # (1, 2, 4 and 8) without an outcome on record. Breaches: two notified in February
    # (6, 7) and three detected in it (6, 7, 8), none with details.
    "GDPR-5.1.c": (NO, None),
    "GDPR-5.1.d": (NA, 0),
    "GDPR-5.1.e": (FAIL, 1),
    "GDPR-6.1": (FAIL, 1),
    "GDPR-7.1": (NA, 0),
    "GDPR-7.3": (NA, 0),
    "GDPR-8.1": (NA, 0),
    "GDPR-12.4": (NA, 0),
    "GDPR-12.5": (FAIL, 4),
    "GDPR-15": (FAIL, 4),  # the same four late access requests as GDPR-12.3
    "GDPR-16": (NA, 0),
    "GDPR-17": (NA, 0),
    "GDPR-18": (PASS, 0),
    "GDPR-19": (NA, 0),
    "GDPR-20": (NA, 0),
    "GDPR-21": (PASS, 0),
    "GDPR-22": (NA, 0),
    "GDPR-25": (NO, None),
    "GDPR-30": (FAIL, 1),
    "GDPR-32.1.a": (NO, None),
    "GDPR-32.1.c": (FAIL, 1),
    "GDPR-32.1.d": (FAIL, 1),
    "GDPR-32.4": (NO, None),
    "GDPR-33.2": (NA, 0),
    "GDPR-33.3": (FAIL, 2),
    "GDPR-33.5": (FAIL, 3),
    "GDPR-34": (NA, 0),
    "GDPR-35": (NA, 0),
    "GDPR-36": (NA, 0),
}


def test_catalog_details_on_the_scenario(backend: Backend) -> None:
    february().write(backend.url)
    result: AuditResult = run_audit(backend.url, PERIOD, settings=Settings())
    found = {c.control_id: c for c in result.controls}

    gaps = result.frame("logging_gaps")
    assert gaps["gap_start"].iloc[0] == t("2026-02-01 00:20")
    assert gaps["gap_end"].iloc[-1] == t("2026-03-01 00:00")
    assert gaps["gap_minutes"].iloc[-1] == 12 * 60

    days = result.frame("failed_login_reconciliation")
    pairs = [
        (str(pd.Timestamp(d).date()), a, e)
        for d, a, e in zip(
            days["day"],
            days["failed_attempts"],
            days["failed_login_events"],
            strict=True,
        )
    ]
    assert pairs == [
        ("2026-02-01", 2, 3),
        ("2026-02-03", 10, 0),
        ("2026-02-08", 0, 5),
        ("2026-02-10", 6, 0),
        ("2026-02-11", 10, 0),
        ("2026-02-12", 12, 0),
    ]

    changes = result.frame("credential_change_events")
    assert changes[["change", "user_id"]].values.tolist() == [
        ["role_revoked", 6],
        ["role_granted", 5],
        ["role_granted", 8],
        ["role_granted", 9],
    ]
    assert found["PCI-8.3.9"].finding_keys == ("2",)  # bob
    assert found["PCI-10.4.1"].finding_keys[0] == "2026-02-01"


WEIGHT = {"low": 1, "medium": 2, "high": 3, "critical": 5}


def expected_weights(
    expected: dict[str, tuple[Status, int | None]],
) -> dict[str, tuple[int, int]]:
    """(passed, assessed) weight per framework from expected statuses and the TOML."""
    totals: dict[str, tuple[int, int]] = {}

    for name in ("pci-dss", "gdpr"):
        text = (CHECKLISTS / f"{name}.toml").read_text(encoding="utf-8")
        severity = {c["id"]: c["severity"] for c in tomllib.loads(text)["controls"]}
        judged = [
            (WEIGHT[severity[c]], s) for c, (s, _) in expected.items() if c in severity
        ]
        passed = sum(w for w, s in judged if s is PASS)
        assessed = sum(w for w, s in judged if s in (PASS, FAIL))
        totals[name] = (passed, assessed)

    return totals
