"""Known sources kept out of the login-anomaly findings, and a count of what was left out.

The allow-list (setting ``allowlist``) holds IP addresses, networks in CIDR form and
host names: the organisation's own scanners, VPN or NAT egress addresses. A finding
whose source column (both ends, for impossible travel) matches an entry is removed from
the evidence and counted per query, so the report can say how many were left out.
Accounts-centred detections (lockout, privilege changes) have no source and are never
filtered.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import pandas as pd

from .errors import ConfigError
from .runner import Outcome

log = logging.getLogger(__name__)

# Detection query -> the columns that name a source address.
SOURCE_COLUMNS: dict[str, tuple[str, ...]] = {
    "brute_force_by_source": ("client_ip",),
    "password_spray_by_source": ("client_ip",),
    "credential_stuffing_by_source": ("client_ip",),
    "failures_then_success": ("client_ip",),
    "impossible_travel": ("previous_ip", "client_ip"),
    "new_source_for_user": ("client_ip",),
    "off_hours_privileged_logins": ("client_ip",),
    "logins_to_inactive_accounts": ("client_ip",),
}

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Allowlist:
    """Parsed entries: networks (a single address is a /32 or /128) and host names."""

    networks: tuple[Network, ...] = ()
    hosts: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> Allowlist:
        """Entries as written in the settings; a malformed one is a ConfigError."""
        networks: list[Network] = []
        hosts: set[str] = set()

        for entry in entries:
            text = entry.strip()
            try:
                networks.append(ipaddress.ip_network(text, strict=False))
                continue
            except ValueError:
                pass
            if (
                not text
                or "/" in text
                or not all(c.isalnum() or c in ".-_" for c in text)
            ):
                raise ConfigError(
                    f"setting 'allowlist': {entry!r} is neither an IP address, a network "
                    "in CIDR form (203.0.113.0/24, 2001:db8::/48) nor a host name"
                )
            hosts.add(text.lower())

        return cls(tuple(networks), frozenset(hosts))

    def matches(self, source: object) -> bool:
        """True when ``source`` (an address or host name as stored) is allow-listed."""
        if not isinstance(source, str) or not source:
            return False
        try:
            address = ipaddress.ip_address(source)
        except ValueError:
            return source.lower() in self.hosts
        return any(address in network for network in self.networks)


def apply(
    outcomes: Mapping[str, Outcome], allowlist: Allowlist
) -> tuple[dict[str, Outcome], dict[str, int]]:
    """Outcomes without allow-listed findings, and how many each query left out."""
    if not allowlist.networks and not allowlist.hosts:
        return dict(outcomes), {}

    kept: dict[str, Outcome] = {}
    left_out: dict[str, int] = {}
    for name, outcome in outcomes.items():
        columns = SOURCE_COLUMNS.get(name, ())
        frame = outcome.frame
        if (
            outcome.status != "ok"
            or frame.empty
            or not set(columns) <= set(frame.columns)
        ):
            kept[name] = outcome
            continue

        hit = pd.Series(False, index=frame.index)
        for column in columns:
            hit |= frame[column].map(allowlist.matches).astype(bool)
        if hit.any():
            left_out[name] = int(hit.sum())
            log.info("allow-list left out %d finding(s) of %s", left_out[name], name)
        kept[name] = replace(outcome, frame=frame[~hit].reset_index(drop=True))

    return kept, left_out
