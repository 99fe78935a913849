"""Each shipped query on the hand-worked February 2026 scenario, on both engines."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pandas as pd
import pytest

from nexus_audit import AuditResult, Period, run_audit
from nexus_audit.config import Settings

from .conftest import Backend
from .scenario import PERIOD, february, t


@pytest.fixture
def result(backend: Backend) -> AuditResult:
    scenario = february()
    scenario.write(backend.url)
    return run_audit(backend.url, PERIOD, settings=Settings())


def records(frame: pd.DataFrame, *columns: str) -> list[tuple[object, ...]]:
    """Rows as plain tuples, NA as None, for exact comparison."""
    picked = (
        frame[list(columns)].astype(object).where(frame[list(columns)].notna(), None)
    )
    return [tuple(row) for row in picked.itertuples(index=False)]


def test_brute_force_by_source(result: AuditResult) -> None:
    frame = result.frame("brute_force_by_source")

    assert records(
        frame,
        "client_ip",
        "peak_failures",
        "failures_in_period",
        "distinct_usernames",
        "succeeded_after",
    ) == [
        ("192.0.2.9", 11, 12, 12, False),
        ("203.0.113.5", 5, 6, 1, True),
        ("198.51.100.8", 5, 5, 1, False),
        ("192.0.2.50", 5, 2, 1, False),
    ]
    by_ip = frame.set_index("client_ip")
    assert by_ip.loc["203.0.113.5", "first_exceeded_at"] == t("2026-02-10 10:08")
    assert by_ip.loc["203.0.113.5", "first_success_after_at"] == t("2026-02-10 10:40")
    assert by_ip.loc["203.0.113.5", "first_failure_at"] == t("2026-02-10 10:00")
    assert by_ip.loc["203.0.113.5", "last_failure_at"] == t("2026-02-10 10:30")
    assert by_ip.loc["192.0.2.50", "first_exceeded_at"] == t("2026-02-01 00:03")
    # The burst began in January; only the period's own failures are its first and last.
    assert by_ip.loc["192.0.2.50", "first_failure_at"] == t("2026-02-01 00:01")
    assert by_ip.loc["192.0.2.50", "last_failure_at"] == t("2026-02-01 00:03")


def test_compromised_account_candidates(result: AuditResult) -> None:
    frame = result.frame("compromised_account_candidates")

    assert records(
        frame,
        "user_id",
        "username",
        "peak_attempts",
        "failed_attempts",
        "successful_attempts",
        "distinct_ips",
        "ips",
    ) == [
        (6, "frank", 11, 10, 2, 2, "100.64.0.6, 2001:db8::6"),
    ]
    assert frame["first_exceeded_at"].iloc[0] == t("2026-02-03 09:50")


def test_suspicious_activity(result: AuditResult) -> None:
    frame = result.frame("suspicious_activity")

    assert records(frame, "user_id", "username", "peak_events", "events_in_period") == [
        (2, "bob", 6, 6),
        (3, "carol", 6, 3),
    ]
    assert list(frame["first_exceeded_at"]) == [
        t("2026-02-07 08:50"),
        t("2026-02-01 00:20"),
    ]


def test_failed_logins_per_day(result: AuditResult) -> None:
    frame = result.frame("failed_logins_per_day")

    assert records(
        frame, "failed_attempts", "distinct_users", "distinct_usernames", "distinct_ips"
    ) == [
        (2, 0, 1, 1),
        (10, 1, 1, 1),
        (6, 0, 1, 1),
        (10, 0, 1, 2),
        (12, 3, 12, 1),
    ]
    assert [d.date() for d in frame["day"]] == [
        date(2026, 2, 1),
        date(2026, 2, 3),
        date(2026, 2, 10),
        date(2026, 2, 11),
        date(2026, 2, 12),
    ]


def test_daily_audit_summary_counts_every_event_once() -> None:
    scenario = february()
    in_period = [
        row
        for row in scenario.rows["audit_log"]
        if PERIOD.start <= row["created_at"] < PERIOD.end
    ]
    expected = Counter(
        (row["created_at"].date(), row["event_type"]) for row in in_period
    )

    assert sum(expected.values()) == 28 + 6 + 5 + 3
    assert expected[(date(2026, 2, 7), "permission_denied")] == 6


def test_daily_audit_summary(result: AuditResult) -> None:
    frame = result.frame("daily_audit_summary")
    counts = {
        (d.date(), kind): n
        for d, kind, n in records(frame, "day", "event_type", "events")
    }

    assert len(frame) == 28 + 3
    assert counts[(date(2026, 2, 7), "permission_denied")] == 6
    assert counts[(date(2026, 2, 8), "failed_login")] == 5
    assert counts[(date(2026, 2, 1), "failed_login")] == 3
    assert sum(frame["events"]) == 42


def test_dormant_accounts(result: AuditResult) -> None:
    frame = result.frame("dormant_accounts")

    assert records(frame, "username", "status", "days_inactive") == [
        ("bob", "active", 151),
        ("gina", "active", 120),
        ("carol", "locked", 106),
        ("ivan", "active", 91),
    ]
    assert frame["last_activity_at"].iloc[1] == t("2025-11-01 09:00")
    assert pd.isna(frame["last_activity_at"].iloc[2])


def test_privileged_mfa(result: AuditResult) -> None:
    frame = result.frame("privileged_mfa")

    assert records(frame, "username", "privileged_roles", "lacks_mfa") == [
        ("bob", "platform-admin", True),
        ("erin", "platform-admin", True),
        ("alice", "platform-admin", False),
    ]


def test_role_grants_in_period(result: AuditResult) -> None:
    frame = result.frame("role_grants_in_period")

    assert records(frame, "username", "role_name", "approval_problem") == [
        ("erin", "platform-admin", "self-approved"),
        ("gina", "viewer", "no approver"),
        ("hank", "viewer", None),
    ]


def test_incident_response_times(result: AuditResult) -> None:
    frame = result.frame("incident_response_times")
    late = frame[frame["is_late"]]

    assert len(frame) == 7
    assert records(
        late, "severity", "missed", "respond_minutes", "resolve_minutes"
    ) == [
        ("SEV-2", "respond", 31.0, 360.0),
        ("SEV-3", "resolve", 30.0, 39 * 60.0),
    ]
    sev4 = frame[frame["detected_at"] == t("2026-02-28 20:00")]
    assert records(sev4, "respond_minutes", "is_late") == [(240.0, False)]


def test_breach_notifications(result: AuditResult) -> None:
    frame = result.frame("breach_notifications")

    assert records(frame, "severity", "hours_to_notify", "is_late") == [
        ("SEV-4", None, True),
        ("SEV-3", 96.0, True),
        ("SEV-2", 72.0, False),
    ]
    assert frame["deadline_at"].iloc[0] == t("2026-02-01 12:00")


def test_dsr_deadlines(result: AuditResult) -> None:
    frame = result.frame("dsr_deadlines")

    assert records(frame, "request_id", "days_late", "is_late") == [
        (5, 55, True),
        (8, 6, True),
        (2, 5, True),
        (3, 1, True),
        (1, None, False),
    ]
    due = dict(zip(frame["request_id"], frame["due_at"], strict=True))
    assert due[3] == t("2026-02-28 12:00")
    assert due[8] == t("2026-01-28 10:00")


def test_log_retention(result: AuditResult) -> None:
    frame = result.frame("log_retention")

    assert records(
        frame,
        "months_with_events_recently",
        "covers_retention",
        "covers_immediate",
        "meets_requirement",
    ) == [(3, True, True, True)]
    assert frame["earliest_event_at"].iloc[0] == t("2025-02-15 10:00")


def test_period_activity(result: AuditResult) -> None:
    scenario = february()
    attempts = [
        r
        for r in scenario.rows["login_attempts"]
        if PERIOD.start <= r["created_at"] < PERIOD.end
    ]

    assert result.activity == {"audit_events": 42, "login_attempts": len(attempts)}
    assert len(attempts) == 2 + 11 + 10 + 12 + 7 + 10 + 1 - 0


def test_days_follow_the_report_time_zone(backend: Backend) -> None:
    february().write(backend.url)
    berlin = Period.month(2026, 2, "Europe/Berlin")
    result = run_audit(
        backend.url, berlin, settings=Settings(time_zone="Europe/Berlin")
    )
    counts = {
        (d.date(), kind): n
        for d, kind, n in records(
            result.frame("daily_audit_summary"), "day", "event_type", "events"
        )
    }

    # carol's six failed logins at 23:30Z-00:20Z straddle UTC midnight but all fall on
    # 1 February in Berlin (UTC+1).
    assert counts[(date(2026, 2, 1), "failed_login")] == 6
    assert (date(2026, 1, 31), "failed_login") not in counts
    assert berlin.start == t("2026-01-31 23:00")
