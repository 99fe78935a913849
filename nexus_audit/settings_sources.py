"""Where each effective setting came from, with secrets masked: ``config show``."""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from .config import SECRET_WORDS, DatabaseParts, Settings, load_settings, settings_file
from .database_url import password_source, settings_url


@dataclass(frozen=True)
class SettingSource:
    """One top-level setting: its value as shown and where it was decided."""

    key: str
    value: str
    source: str


def effective_settings(
    path: Path | str | None = None, **overrides: Any
) -> list[SettingSource]:
    """Every setting, its (masked) value and its source: flag, env, file or default."""
    settings = load_settings(path, **overrides)
    toml_file = settings_file(path)
    in_file = _file_keys(toml_file)
    given = {key for key, value in overrides.items() if value is not None}

    rows = []
    for key in Settings.model_fields:
        if key == "database" and settings.database is not None:
            rows.extend(_database_rows(settings.database, toml_file))
            continue
        value = _shown(key, getattr(settings, key))
        rows.append(SettingSource(key, value, _source(key, given, in_file, toml_file)))

    url = overrides.get("database_url") or settings_url(settings)
    shown_url = _masked_url(url) if url is not None else "(not set)"
    built = "built from database.*" if settings.database is not None else "database_url"
    built = "command line (--database)" if overrides.get("database_url") else built
    rows.append(SettingSource("database (effective URL)", shown_url, built))
    passed, source = password_source(settings, url)
    rows.append(SettingSource("database password", "***" if passed else "—", source))

    return rows


def _database_rows(parts: DatabaseParts, toml_file: Path | None) -> list[SettingSource]:
    """One row per part of [database] that is set, each with its own source."""
    lines = _database_lines(toml_file)
    values: dict[str, object] = {
        name: getattr(parts, name)
        for name in DatabaseParts.model_fields
        if name != "options" and getattr(parts, name) is not None
    }
    values.update({f"options.{name}": value for name, value in parts.options.items()})

    rows = []
    for name, value in values.items():
        env = "NEXUS_AUDIT_DATABASE__" + name.replace(".", "__").upper()
        if env in os.environ:
            source = f"environment ({env})"
        elif name in lines and toml_file is not None:
            source = f"file {toml_file}:{lines[name]}"
        else:
            source = "default"
        shown = "***" if name == "password" else json.dumps(value, default=str)
        rows.append(SettingSource(f"database.{name}", shown, source))

    return rows


def _database_lines(path: Path | None) -> dict[str, int]:
    """Lines of the keys under [database] and [database.options] in the settings file."""
    if path is None:
        return {}

    lines: dict[str, int] = {}
    prefix: str | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            header = stripped.strip("[]").strip()
            prefix = {"database": "", "database.options": "options."}.get(header)
            continue
        name = stripped.split("=", 1)[0].strip().strip("\"'")
        if prefix is not None and "=" in stripped and not stripped.startswith("#"):
            lines.setdefault(prefix + name, number)

    return lines


def _source(
    key: str, given: set[str], in_file: dict[str, int], toml_file: Path | None
) -> str:
    if key in given:
        return "command line"

    env = f"NEXUS_AUDIT_{key.upper()}"
    if env in os.environ or any(name.startswith(env + "__") for name in os.environ):
        return f"environment ({env})"
    if key in in_file and toml_file is not None:
        return f"file {toml_file}:{in_file[key]}"

    return "default"


def _file_keys(path: Path | None) -> dict[str, int]:
    """Top-level keys of the settings file with the line each starts on."""
    if path is None:
        return {}

    text = path.read_text(encoding="utf-8")
    keys = set(tomllib.loads(text))
    lines: dict[str, int] = {}

    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip().lstrip("[").strip()
        for key in keys:
            if key not in lines and stripped.startswith(
                (key + " ", key + "=", key + ".", key + "]")
            ):
                lines[key] = number

    return {key: lines.get(key, 1) for key in keys}


def _shown(key: str, value: Any) -> str:
    if key == "database_url" and isinstance(value, str):
        return _masked_url(value)
    if any(word in key for word in SECRET_WORDS) and not key.endswith("_file"):
        return "(not set)" if value in (None, "") else "*** (set)"
    if hasattr(value, "model_dump"):
        value = value.model_dump(mode="json")
    if isinstance(value, dict):
        value = {
            k: v.model_dump(mode="json") if hasattr(v, "model_dump") else v
            for k, v in value.items()
        }

    return json.dumps(value, default=str, ensure_ascii=False)


def _masked_url(url: str | URL) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparsable URL>"
