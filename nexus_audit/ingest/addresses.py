"""Source addresses in one written form, so one host is always counted as one.

Rule: an IP address is stored as :mod:`ipaddress` prints it (IPv6 compressed and lower
case), an IPv4-mapped IPv6 address (``::ffff:192.0.2.44``) is always folded into its
IPv4 form, and anything else is a host name, kept as a host name in lower case.
Empty values and ``-`` (Windows' "no address") mean no address.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

_NONE = {"", "-", "::", "unknown"}


@lru_cache(maxsize=65536)
def normalise(value: str | None) -> str | None:
    """The stored form of a source address or host name, or None for none."""
    if value is None:
        return None

    text = value.strip().strip("[]")
    if text.lower() in _NONE:
        return None

    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return text.lower()

    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return str(address.ipv4_mapped)

    return str(address)


def is_ip(value: str) -> bool:
    """True when ``value`` is an IP address rather than a host name."""
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
