"""Any optional table missing: its controls read "no data", nothing else changes or breaks.

Each optional table of the model is hidden in turn (renamed) in the February scenario;
the controls whose rule reads it must read "no data: table(s) X absent", every other
control keeps the status it has with all tables present, and the audit stays complete.
With every optional table gone the report is still written whole.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from nexus_audit import Status, run_audit, write_report
from nexus_audit.checklists import load_frameworks
from nexus_audit.config import Settings
from nexus_audit.model import OPTIONAL_TABLES
from nexus_audit.queries import load_queries

from .conftest import Backend
from .scenario import PERIOD, february
from .test_audit import EXPECTED
from .test_catalog_scenario import CATALOG_EXPECTED, NO


def readers(table: str) -> set[str]:
    """Controls whose rule's query reads ``table``."""
    queries = load_queries()
    return {
        control.id
        for framework in load_frameworks(["pci-dss", "gdpr"], queries)
        for control in framework.controls
        if control.rule is not None and table in queries[control.rule.query].tables
    }


def rename(url: str, old: str, new: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f'ALTER TABLE "{old}" RENAME TO "{new}"'))
    engine.dispose()


def test_each_missing_table_gives_no_data_for_its_controls(backend: Backend) -> None:
    february().write(backend.url)
    baseline = {
        c.control_id: c.status
        for c in run_audit(backend.url, PERIOD, settings=Settings()).controls
    }

    for table in OPTIONAL_TABLES:
        rename(backend.url, table, f"{table}_hidden")
        try:
            result = run_audit(backend.url, PERIOD, settings=Settings())
        finally:
            rename(backend.url, f"{table}_hidden", table)

        affected = readers(table)
        assert affected, table
        assert result.is_complete, table
        assert any(table in warning for warning in result.warnings), table
        for control in result.controls:
            if control.control_id in affected:
                assert control.status is Status.NO_DATA, (table, control.control_id)
                assert control.reason.startswith("No data: table(s) ")
                assert table in control.reason
            else:
                assert control.status is baseline[control.control_id], (
                    table,
                    control.control_id,
                )


def test_report_is_complete_without_any_optional_table(
    backend: Backend, tmp_path: Path
) -> None:
    february().write(backend.url, skip=OPTIONAL_TABLES)
    result = run_audit(backend.url, PERIOD, settings=Settings())

    no_data = {c.control_id for c in result.controls if c.status is Status.NO_DATA}
    expected = set().union(*(readers(table) for table in OPTIONAL_TABLES))
    # Beside those, the controls that read "no data" with every table present.
    already = {
        c for c, (status, _) in {**EXPECTED, **CATALOG_EXPECTED}.items() if status is NO
    }
    assert no_data == expected | already
    assert result.is_complete
    assert not [c for c in result.controls if c.status is Status.ERROR]

    paths = write_report(result, tmp_path, formats=("html", "pdf"))
    html = paths["html"].read_text(encoding="utf-8")
    assert paths["pdf"].stat().st_size > 0
    assert "table(s) data_inventory absent" in html
    assert "PCI-10.4.1" in html
