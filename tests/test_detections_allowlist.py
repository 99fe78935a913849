"""The allow-list: what its entries match, and how findings are left out and counted."""

from __future__ import annotations

import pandas as pd
import pytest

from nexus_audit.allowlist import Allowlist, apply
from nexus_audit.errors import ConfigError
from nexus_audit.runner import Outcome, typed_frame

from .test_detections import QUERIES


def test_entries_are_addresses_networks_and_host_names() -> None:
    allowed = Allowlist.parse(
        ["203.0.113.0/24", "2001:db8:42::/48", "198.51.100.7", "Scanner.Example.NET"]
    )

    assert allowed.matches("203.0.113.200")
    assert allowed.matches("2001:db8:42:ffff::1")
    assert allowed.matches("198.51.100.7") and not allowed.matches("198.51.100.8")
    assert allowed.matches("scanner.example.net")
    assert not allowed.matches("other.example.net")
    assert not allowed.matches(None) and not allowed.matches(pd.NA)


@pytest.mark.parametrize("entry", ["203.0.113.0/33", "scanner one", "", "10.0.0.0/8/1"])
def test_a_malformed_entry_is_a_config_error(entry: str) -> None:
    with pytest.raises(ConfigError, match="allowlist"):
        Allowlist.parse([entry])


def outcome(name: str, rows: list[tuple[object, ...]]) -> Outcome:
    query = QUERIES[name]
    return Outcome(query, {}, "ok", typed_frame(query, rows), 1.0)


def test_findings_are_left_out_and_counted() -> None:
    t = pd.Timestamp("2026-02-10 10:00", tz="UTC")
    brute = outcome(
        "brute_force_by_source",
        [
            ("203.0.113.9", 6, t, 6, 1, t, t, False, None),
            ("192.0.2.1", 5, t, 5, 1, t, t, True, t),
        ],
    )
    travel = outcome(
        "impossible_travel",
        [
            (
                "u",
                None,
                "192.0.2.5",
                "PT",
                t,
                "203.0.113.1",
                "US",
                t,
                7000.0,
                1.0,
                7000.0,
            ),
            (
                "v",
                None,
                "192.0.2.5",
                "PT",
                t,
                "192.0.2.6",
                "US",
                t,
                7000.0,
                1.0,
                7000.0,
            ),
        ],
    )
    lockout = outcome("lockout_not_enforced", [("root", None, 11, t, t, t, False, 1)])

    kept, left_out = apply(
        {
            "brute_force_by_source": brute,
            "impossible_travel": travel,
            "lockout_not_enforced": lockout,
        },
        Allowlist.parse(["203.0.113.0/24"]),
    )

    assert kept["brute_force_by_source"].frame["client_ip"].tolist() == ["192.0.2.1"]
    assert kept["impossible_travel"].frame["username"].tolist() == ["v"]
    assert (
        len(kept["lockout_not_enforced"].frame) == 1
    )  # account-centred: never filtered
    assert left_out == {"brute_force_by_source": 1, "impossible_travel": 1}
