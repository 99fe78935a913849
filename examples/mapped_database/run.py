"""Build a database laid out unlike the model, then audit it through a mapping.

    python examples/mapped_database/run.py [OUT_DIR]

1. builds the demo platform in OUT_DIR/platform.duckdb (100,000 events, 2026-11);
2. runs relayout.sql: the data moves to schema "app" under other table, column and value
   names, and the model's own tables are dropped;
3. audits it with nexus-audit.toml, which maps every model table onto "app".

The report in OUT_DIR/report shows the same findings as a demo report.
"""

from __future__ import annotations

import sys
from pathlib import Path

import sqlalchemy as sa

import nexus_audit
from nexus_audit.demo import build_demo

HERE = Path(__file__).resolve().parent
# The tables relayout.sql moves; any others stay where they are, read unmapped.
MOVED = ("consents", "data_subject_requests", "security_incidents", "role_grants",
         "roles", "login_attempts", "audit_log", "users")


def relayout(url: str) -> None:
    script = (HERE / "relayout.sql").read_text(encoding="utf-8")
    engine = sa.create_engine(url)

    with engine.begin() as connection:
        for statement in script.split(";"):
            if statement.strip():
                connection.exec_driver_sql(statement)
        for table in MOVED:
            connection.exec_driver_sql(f"DROP TABLE {table}")

    engine.dispose()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    url = f"duckdb:///{(out / 'platform.duckdb').resolve()}"
    period = nexus_audit.Period.month(2026, 11)

    build_demo(url, period, events=100_000, replace=True)
    relayout(url)

    settings = nexus_audit.load_settings(HERE / "nexus-audit.toml")
    result, paths = nexus_audit.audit_report(
        url, period, out_dir=out / "report", settings=settings
    )
    for control in result.failing():
        print(control.control_id, control.reason)
    print("report:", paths["pdf"])


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "mapped-example"))
