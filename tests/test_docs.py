"""The README documents every table column, query, control, setting and exit code."""

from __future__ import annotations

from pathlib import Path

from nexus_audit.checklists import load_frameworks
from nexus_audit.cli import ExitCode
from nexus_audit.config import Settings
from nexus_audit.model import metadata
from nexus_audit.queries import load_queries

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_column_is_documented() -> None:
    for table in metadata.tables.values():
        assert f"#### `{table.name}`" in README
        for column in table.columns:
            assert f"| `{column.name}` |" in README, f"{table.name}.{column.name}"


def test_every_query_control_setting_and_exit_code_is_documented() -> None:
    for name in load_queries():
        assert f"`{name}`" in README, name
    for framework in load_frameworks(["gdpr", "pci-dss"]):
        for control in framework.controls:
            assert f"| {control.id} |" in README, control.id
    for key in Settings.model_fields:
        assert f"| `{key}` |" in README, key
    for code in ExitCode:
        assert f"| {int(code)} |" in README, code
