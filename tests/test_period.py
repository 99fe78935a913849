"""Half-open monthly periods, including leap years and the year boundary."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from nexus_audit import ConfigError, Period


def test_months_are_half_open_and_add_up_to_a_year() -> None:
    months = [Period.month(2024, m) for m in range(1, 13)]

    assert months[1].end == datetime(2024, 3, 1, tzinfo=UTC)
    assert len(months[1].days) == 29
    assert months[11].end == datetime(2025, 1, 1, tzinfo=UTC)
    assert sum(len(m.days) for m in months) == 366
    assert all(a.end == b.start for a, b in zip(months, months[1:], strict=False))


def test_last_complete_month_rolls_over_the_year() -> None:
    assert (
        Period.last_complete_month(datetime(2026, 1, 2, tzinfo=UTC)).label == "2025-12"
    )
    assert (
        Period.last_complete_month(datetime(2026, 12, 3, tzinfo=UTC)).label == "2026-11"
    )


def test_parse_rejects_bad_months() -> None:
    assert Period.parse("2025-02").days[-1] == date(2025, 2, 28)
    for text in ("2025-13", "2025/01", "25-01", ""):
        with pytest.raises(ConfigError):
            Period.parse(text)


def test_a_month_in_another_zone_has_local_midnights() -> None:
    march = Period.month(2026, 3, "Europe/Berlin")  # DST starts 29 March 2026

    assert march.start == datetime(2026, 2, 28, 23, tzinfo=UTC)
    assert march.end == datetime(2026, 3, 31, 22, tzinfo=UTC)
    assert (march.end - march.start).total_seconds() == 31 * 86400 - 3600
    assert len(march.days) == 31 and march.days[-1] == date(2026, 3, 31)
    assert march.label == "2026-03"
    assert march.previous() == Period.month(2026, 2, "Europe/Berlin")


def test_last_complete_month_follows_the_zone() -> None:
    now = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # already December in Tokyo

    assert Period.last_complete_month(now).label == "2026-10"
    assert Period.last_complete_month(now, "Asia/Tokyo").label == "2026-11"


def test_unknown_zone_names_the_setting() -> None:
    with pytest.raises(ConfigError, match="time_zone"):
        Period.month(2026, 1, "Mars/Olympus")
