"""The demo, audited end to end: the PDF shows every planted incident with its count.

The expected numbers are the ones the README documents for the demo (its table of
planted incidents), not values read back from a run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from nexus_audit import AuditResult, Period, Status, audit_report, run_audit
from nexus_audit.config import Settings
from nexus_audit.demo import build_demo

from .conftest import Backend

MONTH = Period.month(2026, 11)
EVENTS = 30_000

SECTIONS = [
    "Executive summary",
    "Access-control effectiveness",
    "Data encryption verification",
    "Security incident summary",
    "Audit-log review results",
    "Compliance test results",
    "Scope and methodology",
    "Evidence appendix",
]

# Control -> findings the planted incidents must produce (README, "Demo data").
FINDINGS = {
    "PCI-10.4.1-B": 3,  # brute force, spray and takeover source addresses
    "PCI-8.3.4": 1,  # the taken-over account: 15 attempts within the hour
    "PCI-10.4.1-A": 1,  # the same account: 14 failed logins within the hour
    "PCI-8.2.6": 7,  # dormant active accounts
    "PCI-8.4.1": 3,  # privileged without MFA
    "PCI-7.2.3": 1,  # self-approved grant
    "GDPR-12.3": 1,  # late data-subject request
    "GDPR-33.1": 1,  # breach notified after 96 h
    "PCI-12.10.1": 2,  # incidents past their targets
    "PCI-10.2.1.4-LA": 3,  # the same three sources, 5 failures within 10 minutes
    "PCI-8.3.4-LA": 1,  # the taken-over account: 14 failures in a row, no lockout
    "GDPR-32.1.b-LA": 1,  # the same account
}


@pytest.fixture
def demo(backend: Backend, tmp_path: Path) -> tuple[AuditResult, Path]:
    build_demo(backend.url, MONTH, events=EVENTS)
    # In clear: the test looks for the attackers' addresses in the PDF.
    result, paths = audit_report(
        backend.url, MONTH, out_dir=tmp_path, settings=Settings(show_personal_data=True)
    )
    return result, paths["pdf"]


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def test_planted_incidents_are_found_with_their_counts(
    demo: tuple[AuditResult, Path],
) -> None:
    result, _ = demo
    found = {c.control_id: c for c in result.controls}

    for control, count in FINDINGS.items():
        assert found[control].status is Status.FAIL, control
        assert found[control].finding_count == count, control

    attackers = result.frame("brute_force_by_source").set_index("client_ip")
    assert attackers.loc["203.0.113.66", "failures_in_period"] == 240
    assert attackers.loc["198.51.100.23", "distinct_usernames"] == 60
    assert attackers.loc["192.0.2.77", "succeeded_after"]
    assert not attackers.loc["203.0.113.66", "succeeded_after"]

    # The evidence beside PCI-10.4.1-B names the patterns: every 5 s over 12 names is
    # 61 failures in a closed 5-minute window; one try per account every 20 s is 46
    # accounts in a closed 15-minute window.
    spray = result.frame("password_spray_by_source").set_index("client_ip")
    assert spray.loc["203.0.113.66", ["peak_failures", "peak_usernames"]].tolist() == [
        61,
        12,
    ]
    stuffing = result.frame("credential_stuffing_by_source").set_index("client_ip")
    assert stuffing.loc["198.51.100.23", "peak_usernames"] == 46

    takeover = result.frame("compromised_account_candidates")
    assert takeover["failed_attempts"].tolist() == [14]
    assert "192.0.2.77" in takeover["ips"].iloc[0]

    breach = result.frame("breach_notifications").query("is_late")
    assert breach["hours_to_notify"].tolist() == [96.0]


def test_pdf_has_the_sections_and_the_findings(demo: tuple[AuditResult, Path]) -> None:
    result, pdf = demo
    text = pdf_text(pdf)
    flat = re.sub(r"\s+", " ", text)
    pages = len(PdfReader(pdf).pages)

    for section in SECTIONS:
        assert section in flat, section
    assert f"Page 1 of {pages}" in flat and f"Page {pages} of {pages}" in flat
    for control in FINDINGS:
        assert control in flat
    for address in ("203.0.113.66", "198.51.100.23", "192.0.2.77"):
        assert address in flat
    assert "dormant_accounts returned 7 row(s)" in flat
    assert f"Organisation {result.organisation}" in flat or result.organisation in flat


def test_same_demo_gives_identical_results_on_both_engines(
    duckdb_backend: Backend, postgres_backend: Backend
) -> None:
    results = []
    for backend in (duckdb_backend, postgres_backend):
        build_demo(backend.url, MONTH, events=EVENTS)
        results.append(run_audit(backend.url, MONTH, settings=Settings()))
    duck, pg = results

    assert duck.evidence.keys() == pg.evidence.keys()
    for name in duck.evidence:
        pd.testing.assert_frame_equal(duck.frame(name), pg.frame(name), obj=name)
    assert [(c.control_id, c.status, c.finding_count) for c in duck.controls] == [
        (c.control_id, c.status, c.finding_count) for c in pg.controls
    ]
    assert duck.frameworks == pg.frameworks
