"""Names, e-mail addresses, user agents and home addresses of the accounts.

Faker supplies the personal details, seeded so a seed always yields the same staff.
Home addresses come only from ranges reserved for this purpose (RFC 6598 shared
address space and the RFC 3849 IPv6 documentation prefix), and each belongs to one
account, so failures from one address can never pile up from several people.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
from faker import Faker

from ._clock import Bools
from ._frames import Codes

COUNTRIES: dict[str, tuple[str, float]] = {
    "GB": ("en_GB", 0.30),
    "DE": ("de_DE", 0.18),
    "FR": ("fr_FR", 0.12),
    "NL": ("nl_NL", 0.10),
    "IE": ("en_IE", 0.08),
    "ES": ("es_ES", 0.08),
    "PL": ("pl_PL", 0.06),
    "IT": ("it_IT", 0.04),
    "SE": ("sv_SE", 0.02),
    "PT": ("pt_PT", 0.02),
}
"""Home country of the staff: Faker locale and share of accounts."""

DOMAIN = "nexuspay.example"

_SYSTEMS = (
    "payments-api",
    "settlement",
    "ledger",
    "fraud-scoring",
    "kyc-sync",
    "reporting",
    "card-vault",
    "webhooks",
    "batch",
    "monitoring",
)
_SITES = ("", "-eu", "-dr", "-ci")

_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae"})


def _ascii(name: str) -> str:
    """Lower-case ASCII letters only: usernames travel through many systems."""
    folded = unicodedata.normalize("NFKD", name.translate(_FOLD))
    letters = folded.encode("ascii", "ignore").decode().lower()

    return re.sub("[^a-z]", "", letters) or "x"


def _unique(name: str, taken: dict[str, int]) -> str:
    count = taken.get(name, 0) + 1
    taken[name] = count

    return name if count == 1 else f"{name}{count}"


def identities(
    seed: int, country: Codes, service: Bools
) -> tuple[list[str], list[str | None], list[str]]:
    """Usernames, e-mails and user agents, one per account."""
    locales = [locale for locale, _ in COUNTRIES.values()]
    fake = Faker(locales)
    fake.seed_instance(seed)

    services = iter(f"svc-{s}{site}" for site in _SITES for s in _SYSTEMS)
    taken: dict[str, int] = {}
    names: list[str] = []
    emails: list[str | None] = []
    agents: list[str] = []

    for code, is_service in zip(country.tolist(), service.tolist(), strict=True):
        if is_service:
            name = next(services)
            names.append(name)
            emails.append(None)
            agents.append(f"{name}/2.{code} python-httpx/0.28.1")
            continue

        person = fake[locales[code]]
        login = f"{_ascii(person.first_name())}.{_ascii(person.last_name())}"
        names.append(_unique(login, taken))
        emails.append(f"{names[-1]}@{DOMAIN}")
        agents.append(person.user_agent())

    return names, emails, agents


def addresses(rng: np.random.Generator, count: int) -> tuple[Codes, list[str]]:
    """One or two home addresses per account: ``(count, 2)`` codes and the strings.

    Every account has an IPv4 address in 100.64.0.0/10; four in ten have a second
    one, half of those an IPv6 address in 2001:db8::/32.
    """
    # 16,384 /24 blocks in the /10, hosts .1 to .254: distinct by construction.
    slot = rng.choice(16_384 * 254, size=2 * count, replace=False)
    block, host = slot // 254, slot % 254 + 1
    v4 = [
        f"100.{64 + b // 256}.{b % 256}.{h}"
        for b, h in zip(block.tolist(), host.tolist(), strict=True)
    ]
    v6 = [f"2001:db8:{0x1000 + i:x}::{h:x}" for i, h in enumerate(host.tolist())]

    second = rng.random(count)
    first_code = np.arange(count)
    other = np.where(second < 0.2, count + first_code, 2 * count + first_code)
    other = np.where(second < 0.4, other, first_code)

    table = v4[:count] + v4[count:] + v6[:count]

    return np.stack([first_code, other], axis=1).astype(np.int32), table
