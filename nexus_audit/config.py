"""Settings: one TOML file plus ``NEXUS_AUDIT_*`` environment variables.

Precedence, highest first: values passed in code (the command line's flags), environment
variables, the settings file (``nexus-audit.toml`` in the working folder, or the path
given), then the defaults below. Errors name the key and, for the file, the line.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from .errors import ConfigError
from .mapping import TableMap

DEFAULT_FILE = Path("nexus-audit.toml")
SECRET_WORDS = ("password", "secret", "key", "token")
Severity = Literal["SEV-1", "SEV-2", "SEV-3", "SEV-4"]


class Target(BaseModel):
    """How fast an incident of one severity must be acknowledged and resolved."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    respond_minutes: int = Field(gt=0)
    resolve_minutes: int = Field(gt=0)


class FindingOwner(BaseModel):
    """Who resolves a control's findings, and by when: [finding_owners."<control>"]."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    owner: str = Field(min_length=1)
    due: date | None = None


# libpq connection keywords accepted in [database.options]; the rest are parts of their
# own (host, port, user, password, dbname) or would bypass the settings (service files).
PG_OPTIONS = frozenset(
    {
        "application_name",
        "channel_binding",
        "client_encoding",
        "connect_timeout",
        "gssencmode",
        "keepalives",
        "keepalives_count",
        "keepalives_idle",
        "keepalives_interval",
        "krbsrvname",
        "passfile",
        "require_auth",
        "requirepeer",
        "ssl_max_protocol_version",
        "ssl_min_protocol_version",
        "sslcert",
        "sslcertmode",
        "sslcompression",
        "sslcrl",
        "sslcrldir",
        "sslkey",
        "sslmode",
        "sslnegotiation",
        "sslpassword",
        "sslrootcert",
        "sslsni",
        "target_session_attrs",
        "tcp_user_timeout",
    }
)
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


class DatabaseParts(BaseModel):
    """The audited database given by its parts: [database] or NEXUS_AUDIT_DATABASE__*.

    The URL is built from them with SQLAlchemy, so no part needs quoting. ``password``
    comes from the environment only (the file refuses it); without one, libpq reads
    ``PGPASSWORD`` or the password file (``PGPASSFILE``, ``~/.pgpass``) itself.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    driver: str = Field(default="postgresql+psycopg", min_length=1)
    host: str | None = None
    port: int | None = Field(default=None, gt=0, le=65535)
    user: str | None = None
    password: SecretStr | None = None
    dbname: str | None = Field(
        default=None, description="Database name, or the DuckDB file's path."
    )
    options: dict[str, str | int] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_options(self) -> DatabaseParts:
        if not self.driver.startswith("postgresql"):
            return self

        unknown = sorted(set(self.options) - PG_OPTIONS)
        if unknown:
            raise ValueError(
                f"unknown PostgreSQL connection option(s) {unknown} in database.options; "
                f"accepted: {', '.join(sorted(PG_OPTIONS))}"
            )
        mode = self.options.get("sslmode")
        if mode is not None and mode not in SSL_MODES:
            raise ValueError(
                f"database.options.sslmode must be one of {', '.join(SSL_MODES)}, "
                f"not {mode!r}"
            )

        return self


DEFAULT_TARGETS: dict[Severity, Target] = {
    "SEV-1": Target(respond_minutes=15, resolve_minutes=240),
    "SEV-2": Target(respond_minutes=30, resolve_minutes=480),
    "SEV-3": Target(respond_minutes=120, resolve_minutes=1440),
    "SEV-4": Target(respond_minutes=240, resolve_minutes=4320),
}


class Settings(BaseSettings):
    """Everything an audit can be told; see the README for each key."""

    model_config = SettingsConfigDict(
        env_prefix="NEXUS_AUDIT_",
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
    )

    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL audited."
    )
    database: DatabaseParts | None = Field(
        default=None, description="The audited database by its parts, instead of a URL."
    )
    database_password_file: Path | None = Field(
        default=None,
        description="File whose first line is the database password, kept out of URLs.",
    )
    organisation: str = Field(default="Example Payments Ltd", min_length=1)
    frameworks: tuple[Literal["gdpr", "pci-dss"], ...] = ("gdpr", "pci-dss")
    framework_files: tuple[Path, ...] = Field(
        default=(), description="The user's own framework files, scored as well."
    )
    attestations_file: Path | None = Field(
        default=None, description="TOML file of attestations (manual results)."
    )
    waivers_file: Path | None = Field(
        default=None, description="TOML file of waivers (approved exceptions)."
    )
    history_dir: Path | None = Field(
        default=None, description="Folder keeping each run's results for trends."
    )
    output_dir: Path = Path("nexus-audit-report")
    formats: tuple[Literal["html", "pdf", "json", "csv", "junit", "oscal"], ...] = (
        "html",
        "pdf",
    )
    statement_timeout_seconds: float = Field(default=300.0, gt=0)
    lock_timeout_seconds: float = Field(default=10.0, gt=0)
    query_connections: int = Field(
        default=2, ge=1, le=16, description="Connections running queries at once."
    )
    time_zone: str = Field(
        default="UTC", description="IANA zone in which months and days are cut."
    )
    pdf_evidence_rows: int = Field(default=10, ge=1)
    html_evidence_rows: int = Field(default=500, ge=1)
    incident_targets: dict[Severity, Target] = Field(
        default_factory=lambda: dict(DEFAULT_TARGETS)
    )
    mapping: dict[str, TableMap] = Field(
        default_factory=dict,
        description="Where each model table lives: [mapping.<model table>].",
    )
    parameters: dict[str, dict[str, int | float | str | bool]] = Field(
        default_factory=dict,
        description="Per-query overrides of declared parameters: [parameters.<query>].",
    )
    allowlist: tuple[str, ...] = Field(
        default=(),
        description="Known sources (addresses, CIDR networks, host names) kept out of "
        "the login-anomaly findings; the report counts what it left out.",
    )
    classification: str = Field(default="Confidential", min_length=1)
    auditor: str | None = Field(default=None, description="Who runs the audit.")
    finding_owners: dict[str, FindingOwner] = Field(default_factory=dict)
    show_personal_data: bool = False
    pseudonym_key: SecretStr | None = None
    pseudonym_key_file: Path | None = None
    sample_rows: int = Field(default=5, ge=0)
    sample_seed: int | None = Field(default=None, ge=0)
    signing_key: Path | None = None
    signing_certificate: Path | None = None

    @model_validator(mode="after")
    def _one_database(self) -> Settings:
        if self.database_url is not None and self.database is not None:
            raise ValueError(
                "'database_url' and 'database' (the [database] table or "
                "NEXUS_AUDIT_DATABASE__* variables) both name the database; give "
                "the URL or its parts, not both"
            )
        if self.database_password_file is not None and self.database is not None:
            if self.database.password is not None:
                raise ValueError(
                    "'database_password_file' and 'database.password' both give the "
                    "database password; keep one"
                )

        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls)
        return init_settings, env_settings, toml


def load_settings(path: Path | str | None = None, **overrides: Any) -> Settings:
    """Settings from ``path`` (or ``./nexus-audit.toml`` when present), env and overrides.

    ``overrides`` whose value is None are ignored, so unset command-line flags do not
    hide the file or the environment.
    """
    toml_file = settings_file(path)
    given = {key: value for key, value in overrides.items() if value is not None}
    if "database_url" in given:
        given["database"] = None  # a URL on the command line outranks any parts

    if toml_file is not None:
        _check_toml(toml_file)
        _no_password_in_file(toml_file)

    # The file is a class-level setting in pydantic-settings, hence a subclass per file.
    config = SettingsConfigDict(**{**Settings.model_config, "toml_file": toml_file})
    reader: type[Settings] = type("FileSettings", (Settings,), {"model_config": config})

    try:
        return reader(**given)
    except ValidationError as error:
        raise ConfigError(_explain(error, toml_file)) from error


def settings_file(path: Path | str | None) -> Path | None:
    """The settings file to read: ``path``, else ``./nexus-audit.toml`` when present."""
    if path is None:
        return DEFAULT_FILE if DEFAULT_FILE.is_file() else None

    chosen = Path(path)
    if not chosen.is_file():
        raise ConfigError(f"settings file {str(chosen)!r} does not exist")

    return chosen


def _check_toml(path: Path) -> None:
    try:
        tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read it as UTF-8 text ({error})") from error


def _no_password_in_file(path: Path) -> None:
    """The settings file is often shared or kept in git: passwords stay out of it."""
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("database")
    if isinstance(table, dict) and "password" in table:
        line = _line_of(path, ("database", "password"))
        raise ConfigError(
            f"setting 'database.password' ({path}:{line}): a password is not read from "
            "the settings file; set NEXUS_AUDIT_DATABASE__PASSWORD, point "
            "'database_password_file' at a file, or use a PostgreSQL password file "
            "(~/.pgpass or PGPASSFILE)"
        )


def _explain(error: ValidationError, toml_file: Path | None) -> str:
    problems = []

    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"])
        if not key:
            problems.append(str(item["msg"]).removeprefix("Value error, "))
            continue
        where = _line_of(toml_file, item["loc"]) if toml_file else None
        place = f" ({toml_file}:{where})" if where else ""
        env = "NEXUS_AUDIT_" + "__".join(str(p) for p in item["loc"]).upper()
        shown = _masked(key, item.get("input"))
        problems.append(
            f"setting {key!r}{place}: {item['msg']} (got {shown!r}; "
            f"it can also come from {env})"
        )

    return "invalid settings: " + "; ".join(problems)


def _masked(key: str, value: Any) -> Any:
    """A rejected value as an error may show it: secrets, and URL passwords, hidden."""
    if any(word in key.rsplit(".", 1)[-1] for word in SECRET_WORDS):
        return "***"
    if isinstance(value, dict):
        return {name: _masked(f"{key}.{name}", item) for name, item in value.items()}
    if isinstance(value, str) and "://" in value:
        try:
            return make_url(value).render_as_string(hide_password=True)
        except ArgumentError:
            return "<unparsable URL>"

    return value


def _line_of(path: Path, location: tuple[int | str, ...]) -> int | None:
    """The line of the file where the key of a validation error is written."""
    names = [str(part) for part in location if isinstance(part, str)]
    if not names:
        return None

    lines = path.read_text(encoding="utf-8").splitlines()
    pattern = re.compile(rf"^\s*[\"']?{re.escape(names[-1])}[\"']?\s*=")

    for number, line in enumerate(lines, start=1):
        if pattern.match(line):
            return number

    return None
