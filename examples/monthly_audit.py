"""Audit a database for one month from Python and act on the result.

    python examples/monthly_audit.py duckdb:///nexus-audit-report/demo.duckdb 2026-11

Exits 1 when a control fails, so a scheduled job can alert on it.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import nexus_audit


def main(url: str, month: str) -> int:
    logging.basicConfig(level=logging.INFO)

    result = nexus_audit.run_audit(url, month)
    paths = nexus_audit.write_report(result, Path("monthly-report") / month)

    for score in result.frameworks:
        print(f"{score.name} {score.version}: {score.score}% ({score.counts})")
    for control in result.failing():
        print(f"FAIL {control.control_id} {control.title}: {control.reason}")
    print("written:", ", ".join(str(path) for path in paths.values()))

    return 1 if result.failing() else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
