"""Settings from a TOML file and NEXUS_AUDIT_* variables, with errors naming key and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from nexus_audit import ConfigError, load_settings


def test_file_env_and_flags_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "nexus-audit.toml"
    path.write_text(
        'organisation = "Acme Pay"\ndatabase_url = "duckdb:///a.duckdb"\n'
        "pdf_evidence_rows = 10\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("NEXUS_AUDIT_DATABASE_URL", "duckdb:///from-env.duckdb")

    settings = load_settings(path, pdf_evidence_rows=None, organisation="Flag Ltd")

    assert settings.organisation == "Flag Ltd"
    assert settings.database_url == "duckdb:///from-env.duckdb"
    assert settings.pdf_evidence_rows == 10


def test_working_folder_file_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "nexus-audit.toml").write_text(
        'organisation = "Here"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)

    assert load_settings().organisation == "Here"


def test_invalid_value_names_key_and_line(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        'organisation = "A"\n\nstatement_timeout_seconds = -1\n', encoding="utf-8"
    )

    with pytest.raises(ConfigError, match=r"statement_timeout_seconds.*s.toml:3"):
        load_settings(path)


def test_unknown_key_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("colour = 'blue'\n", encoding="utf-8")

    with pytest.raises(ConfigError, match="colour"):
        load_settings(path)
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "absent.toml")


def test_environment_value_is_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEXUS_AUDIT_PDF_EVIDENCE_ROWS", "lots")

    with pytest.raises(ConfigError, match="NEXUS_AUDIT_PDF_EVIDENCE_ROWS"):
        load_settings()


def test_config_show_names_sources_and_masks_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nexus_audit.settings_sources import effective_settings

    path = tmp_path / "s.toml"
    path.write_text(
        'organisation = "Acme"\ndatabase_url = "postgresql+psycopg://a:pw9@h/d"'
        "\n\n[incident_targets.SEV-1]\nrespond_minutes = 9\n"
        "resolve_minutes = 90\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("NEXUS_AUDIT_PDF_EVIDENCE_ROWS", "7")

    rows = {row.key: row for row in effective_settings(path, frameworks=["gdpr"])}

    assert rows["organisation"].source == f"file {path}:1"
    assert rows["incident_targets"].source == f"file {path}:4"
    assert rows["pdf_evidence_rows"].source.startswith("environment")
    assert rows["pdf_evidence_rows"].value == "7"
    assert rows["frameworks"].source == "command line"
    assert rows["html_evidence_rows"].source == "default"
    assert (
        "pw9" not in rows["database_url"].value and "***" in rows["database_url"].value
    )


def test_config_show_piped_prints_whole_values(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from nexus_audit.cli import main

    path = tmp_path / "s.toml"
    url = "postgresql+psycopg://auditor:pw9@db.payments.example:5432/payments_prod"
    path.write_text(
        f'organisation = "Acme"\ndatabase_url = "{url}"\n\n'
        '[mapping.users]\ntable = "app.people"\ncolumns = { user_id = "id" }\n',
        encoding="utf-8",
    )

    shown = CliRunner().invoke(main, ["config", "show", "--config", str(path)])

    lines = dict(line.split("\t", 1) for line in shown.output.splitlines())
    assert shown.exit_code == 0
    assert lines["database_url"] == (
        "postgresql+psycopg://auditor:***@db.payments.example:5432/payments_prod"
        f"\tfile {path}:2"
    )
    assert '"table": "app.people"' in lines["mapping"]
