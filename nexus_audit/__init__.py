"""nexus_audit: monthly GDPR and PCI DSS v4.0.1 audits of a payments platform's database.

The public API, listed once::

    import nexus_audit

    result = nexus_audit.run_audit("duckdb:///platform.duckdb", "2026-11")
    paths = nexus_audit.write_report(result, "nexus-audit-report/")
"""

from __future__ import annotations

from .api import audit_report, demo_report
from .audit import library_version, run_audit
from .config import Settings, load_settings
from .errors import (
    ChecklistError,
    ConfigError,
    DatabaseError,
    NexusAuditError,
    QueryFileError,
    RenderError,
    SchemaError,
)
from .ingest import IngestReport
from .ingest import ingest as ingest_files
from .period import Period
from .report import render_html, render_pdf, write_report
from .results import AuditResult, ControlResult, FrameworkScore, QueryRun, Status

__all__ = [
    "AuditResult",
    "ChecklistError",
    "ConfigError",
    "ControlResult",
    "DatabaseError",
    "FrameworkScore",
    "IngestReport",
    "NexusAuditError",
    "Period",
    "QueryFileError",
    "QueryRun",
    "RenderError",
    "SchemaError",
    "Settings",
    "Status",
    "audit_report",
    "demo_report",
    "ingest_files",
    "library_version",
    "load_settings",
    "render_html",
    "render_pdf",
    "run_audit",
    "write_report",
]
