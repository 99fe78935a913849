"""Keyed pseudonyms for the personal data an auditor does not need to read in clear.

E-mail addresses, IP addresses and user names (including names typed in failed
logins, which often hold a mistyped password) are replaced by ``kind-<10 hex digits>``:
the first 40 bits of HMAC-SHA-256 over the kind and the value. The same key gives the
same pseudonym every month, so findings can still be followed across reports, while a
reader without the key cannot recompute them (an unkeyed hash of an IPv4 address is
reversed by trying all 2^32 of them).

Columns are recognised by name: see :func:`column_kind`. A column whose name is plural
(``ips``, ``usernames``) holds lists joined by ", ", each item pseudonymised alone.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import ConfigError

log = logging.getLogger(__name__)

KEY_BYTES = 32
DIGITS = 10
LIST_SEPARATOR = ", "


def column_kind(name: str) -> str | None:
    """``email``, ``ip`` or ``user`` for a column holding personal data, else None."""
    lowered = name.lower()
    words = lowered.replace("-", "_").split("_")

    if "email" in lowered or "e_mail" in lowered:
        return "email"
    if words[-1] in {"ip", "ips", "address", "addresses"} or words[0] in {"ip", "ips"}:
        return "ip"
    if (
        "username" in lowered
        or "user_name" in lowered
        or words[-1] in {"login", "logins"}
    ):
        return "user"

    return None


@dataclass(frozen=True, slots=True)
class Pseudonymiser:
    """Turns values into stable keyed pseudonyms; ``fingerprint`` names the key."""

    key: bytes

    @property
    def fingerprint(self) -> str:
        """Eight hex digits that identify the key without revealing it."""
        return hashlib.sha256(b"nexus-audit pseudonym key\0" + self.key).hexdigest()[:8]

    def pseudonym(self, kind: str, value: str) -> str:
        """The pseudonym of one value; e-mail addresses ignore case."""
        text = value.strip().lower() if kind == "email" else value
        digest = hmac.new(self.key, f"{kind}\0{text}".encode(), hashlib.sha256)
        return f"{kind}-{digest.hexdigest()[:DIGITS]}"

    def _cell(self, kind: str, value: object, is_list: bool) -> object:
        if not isinstance(value, str) or value == "":
            return value
        if not is_list:
            return self.pseudonym(kind, value)

        items = value.split(LIST_SEPARATOR)
        return LIST_SEPARATOR.join(self.pseudonym(kind, item) for item in items)

    def frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """A copy of ``frame`` with every personal-data column pseudonymised."""
        copy = frame.copy()

        for position, name in enumerate(frame.columns):
            column = frame.iloc[:, position]
            kind = column_kind(str(name))
            if kind is None or not _is_text(column):
                continue

            is_list = str(name).lower().endswith("s")
            mapping = {
                value: self._cell(kind, value, is_list)
                for value in column.dropna().unique()
            }
            copy.isetitem(position, column.map(mapping).astype(column.dtype).array)

        return copy


def personal_columns(frame: pd.DataFrame) -> list[str]:
    """The names of ``frame``'s columns that :meth:`Pseudonymiser.frame` rewrites."""
    return [
        str(name)
        for position, name in enumerate(frame.columns)
        if column_kind(str(name)) and _is_text(frame.iloc[:, position])
    ]


def _is_text(column: pd.Series) -> bool:
    """Counts such as ``distinct_ips`` are numbers: only text can hold the data."""
    return bool(
        pd.api.types.is_string_dtype(column) or pd.api.types.is_object_dtype(column)
    )


def default_key_file() -> Path:
    """``$XDG_CONFIG_HOME/nexus-audit/pseudonym.key`` (``~/.config`` by default)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "nexus-audit" / "pseudonym.key"


def load_key(key: str | None, key_file: Path | None) -> bytes:
    """The key from the setting, else from the key file, created once when absent.

    The file is made with owner-only permissions and kept beside the user's settings,
    never beside the report: whoever holds the key can test guesses against it.
    """
    if key:
        return key.encode("utf-8")

    path = key_file or default_key_file()
    if not path.exists():
        _create_key_file(path)

    try:
        data = path.read_bytes().strip()
    except OSError as error:
        raise ConfigError(
            f"setting 'pseudonym_key_file': cannot read {str(path)!r}: {error}"
        ) from error

    if len(data) < 16:
        raise ConfigError(
            f"setting 'pseudonym_key_file': {str(path)!r} holds {len(data)} bytes; "
            "a pseudonym key needs at least 16"
        )

    return data


def _create_key_file(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "w") as file:
            file.write(secrets.token_hex(KEY_BYTES) + "\n")
    except FileExistsError:
        return
    except OSError as error:
        raise ConfigError(
            f"setting 'pseudonym_key_file': cannot create {str(path)!r}: {error}; "
            "set pseudonym_key or point pseudonym_key_file at a writable place"
        ) from error

    log.warning("created pseudonym key %s; keep it to get the same pseudonyms", path)
