"""Shipped SQL and templates are found installed first, then in the source tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from nexus_audit import resources
from nexus_audit.errors import QueryFileError, RenderError


def test_source_tree_folders_are_found() -> None:
    assert (resources.templates_dir() / "report.html").is_file()
    assert (resources.queries_dir() / "dormant_accounts.sql").is_file()


def test_installed_copy_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    packaged = tmp_path / "nexus_audit" / "_report_templates"
    packaged.mkdir(parents=True)
    (packaged / "report.html").write_text("{{ result }}")
    monkeypatch.setattr(resources, "_PACKAGE", tmp_path / "nexus_audit")

    assert resources.templates_dir() == packaged

    (packaged / "report.html").unlink()
    with pytest.raises(RenderError, match="report_templates not found"):
        resources.templates_dir()
    with pytest.raises(QueryFileError, match="queries not found"):
        resources.queries_dir()
