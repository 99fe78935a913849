"""Bring authentication evidence kept outside the application database into the model.

One parser module per input format turns files into format-free records
(:mod:`.records`); :mod:`.writer` stores them in ``login_attempts`` and ``audit_log``
and knows nothing of formats. :func:`ingest` runs both and reports what it read,
stored and skipped::

    from nexus_audit.ingest import ingest

    report = ingest("syslog", ["/var/log/auth.log"], "duckdb:///evidence.duckdb")
    print("\\n".join(report.summary()))
"""

from __future__ import annotations

from . import loghub, pgaudit, syslog, tabular, windows
from .run import FORMATS, IngestReport, ingest

__all__ = [
    "FORMATS",
    "IngestReport",
    "ingest",
    "loghub",
    "pgaudit",
    "syslog",
    "tabular",
    "windows",
]
