"""Each query's evidence is printed once, however many controls rely on it."""

from __future__ import annotations

import re

import pytest

from nexus_audit.report import ReportOptions, render_html
from nexus_audit.results import AuditResult, ControlResult, Status

from . import report_fixtures as fx

SHARED = fx.HOSTILE_QUERY  # first relied on by PCI-8.2.6, in access control
SECOND = "PCI-10.2.2"


def _with_second_user() -> AuditResult:
    """The fixture result plus an audit-log control that relies on PCI-8.2.6's query."""
    result = fx.make_result()
    second = ControlResult.model_validate(
        {
            "control_id": SECOND,
            "framework": "pci_dss",
            "requirement": "10.2.2",
            "title": "Shares its query",
            "description": "Relies on the same rows as PCI-8.2.6.",
            "section": "audit_log",
            "severity": "medium",
            "kind": "data",
            "status": Status.PASS,
            "reason": "Reason for the second control.",
            "finding_count": 0,
            "queries": (SHARED,),
        }
    )
    return result.model_copy(update={"controls": (*result.controls, second)})


@pytest.fixture(scope="module")
def html() -> str:
    options = ReportOptions(show_personal_data=True, sample_rows=2)
    return render_html(_with_second_user(), options=options)


def test_shared_query_table_is_printed_once_under_its_first_control(html: str) -> None:
    assert html.count(f'data-query="{SHARED}"') == 1

    block = html.split(f'id="control-{SECOND}"', 1)[1].split("</article>", 1)[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", block).split())
    rows = len(fx.hostile_frame())
    assert f"Evidence: {SHARED} — {rows} rows, shown under PCI-8.2.6" in text


def test_appendix_indexes_every_query_and_prints_only_the_unshown(html: str) -> None:
    appendix = html.split('id="sec-9"', 1)[1].split('id="sec-10"', 1)[0]
    index = appendix.split("</table>", 1)[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", index).split())

    assert f"{SHARED} {len(fx.hostile_frame())} under PCI-8.2.6" in text
    assert f"{fx.LONG_QUERY} {fx.LONG_ROWS} under PCI-8.3.4" in text
    # The fixture's failed query is named by PCI-7.2.4 (access control) and ran in error.
    assert f"{fx.FAILED_QUERY} error under PCI-7.2.4" in text
    # PCI-10.2.1 passes: the two queries only it relies on are sampled, not printed.
    assert "daily_audit_summary 4 sampled (controls pass)" in text
    assert "failed_logins_per_day 3 sampled (controls pass)" in text
    assert 'data-query="daily_audit_summary"' not in html
    # Every other query is printed under a control above; none is printed below.
    assert 'data-query="' not in appendix.split("</table>", 1)[1]


def test_sample_draws_once_per_query_for_every_control_it_serves(html: str) -> None:
    assert html.count(f'data-sample="{SHARED}"') == 1

    sample = html.split(f'data-sample="{SHARED}"', 1)[0].rsplit("<h3", 1)[1]
    assert f"2 of {len(fx.hostile_frame())} rows drawn; for PCI-8.2.6, {SECOND}" in sample
