"""Ingest a real SSH auth log into an embedded DuckDB file, then render its monthly report.

    python examples/real_auth_log.py                      # the elastic/examples auth.log
    python examples/real_auth_log.py /var/log/auth.log* --year 2025 --month 2025-06

By default it reads ``../shared/data/real/auth.log`` (elastic/examples, Apache-2.0: an
internet-facing Ubuntu host, 27 March to 20 April, with a brute force that succeeds on
30 March) and reports March of 2017, the year the log was published. The same two steps
on the command line:

    nexus-audit ingest syslog auth.log --database duckdb:///evidence.duckdb --year 2017
    nexus-audit report --database duckdb:///evidence.duckdb --month 2017-03
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import nexus_audit

REAL_LOG = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "auth.log"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("logs", nargs="*", type=Path, default=[REAL_LOG])
    parser.add_argument("--year", type=int, default=2017, help="year of the first line")
    parser.add_argument("--month", default="2017-03", help="month to report, YYYY-MM")
    parser.add_argument("--out", type=Path, default=Path("real-auth-log-report"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    # 1. Bring the evidence in: attempts to login_attempts, the rest to audit_log.
    args.out.mkdir(parents=True, exist_ok=True)
    database = f"duckdb:///{(args.out / 'evidence.duckdb').resolve()}"
    loaded = nexus_audit.ingest_files("syslog", args.logs, database, year=args.year)
    print("\n".join(loaded.summary(places=3)))

    # 2. Audit the month and write report.html, report.pdf and the evidence CSVs.
    result, paths = nexus_audit.audit_report(database, args.month, out_dir=args.out)

    for control in result.controls:
        if control.section == "login_anomalies":
            print(
                f"{control.control_id:<16} {control.status.value:<15} {control.reason}"
            )
    print("report:", paths.get("html"), paths.get("pdf"))


if __name__ == "__main__":
    main()
