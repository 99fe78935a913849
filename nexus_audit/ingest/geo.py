"""Country of a source address, offline, from the ``iptocc`` package's own RIR data.

The country is the one a Regional Internet Registry assigned the address block to,
refreshed with each ``iptocc`` release; reserved, private and documentation ranges have
none. Host names are not resolved (no network at run time), so they get no country.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from iptocc import country_code

from .addresses import is_ip

_is_ip = lru_cache(maxsize=65536)(is_ip)


def countries(addresses: Sequence[str | None]) -> list[str | None]:
    """The ISO 3166-1 alpha-2 country of each address, or None."""
    unique = sorted(a for a in set(addresses) if a and _is_ip(a))
    found = dict(zip(unique, country_code(unique), strict=True)) if unique else {}

    return [found.get(address) if address else None for address in addresses]
