"""The demo, exported to Parquet and audited on Spark in local mode, gives DuckDB's result.

Same evidence files row for row (rows sorted, numbers in one form), same control
statuses and finding counts, same scores. One local session serves the whole module.
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="the spark extra is not installed: pip install -e '.[spark]'")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark needs Java 17 or 21 and none is on the PATH", allow_module_level=True)

import pandas as pd  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402

from nexus_audit import AuditResult, Period, run_audit  # noqa: E402
from nexus_audit.cli_engines import audit_source  # noqa: E402
from nexus_audit.config import Settings  # noqa: E402
from nexus_audit.demo import build_demo  # noqa: E402
from nexus_audit.engines import spark_engine  # noqa: E402
from nexus_audit.engines.spark_sql import to_spark  # noqa: E402
from nexus_audit.errors import ConfigError  # noqa: E402
from nexus_audit.export import export_parquet  # noqa: E402
from nexus_audit.mapping import Mapping, TableMap  # noqa: E402
from nexus_audit.model import metadata  # noqa: E402
from nexus_audit.queries import load_queries  # noqa: E402
from nexus_audit.report.csv_export import write_csv  # noqa: E402

from .conftest import Backend  # noqa: E402

pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]

MONTH = Period.month(2026, 11)
EVENTS = 1_000
GENERATED = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    session = (
        SparkSession.builder.master("local[2]")
        .appName("nexus-audit-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The smallest demo in DuckDB, and its export partitioned by month."""
    folder = tmp_path_factory.mktemp("spark-demo")
    url = f"duckdb:///{folder / 'demo.duckdb'}"
    build_demo(url, MONTH, events=EVENTS)
    export_parquet(url, folder / "lake", partition_by="month")
    return url, folder / "lake"


def canonical_rows(path: Path) -> list[tuple[str, ...]]:
    """The CSV's rows sorted, each number written with nine significant digits."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return [tuple(header), *sorted(tuple(_number(cell) for cell in row) for row in rows)]


def _number(cell: str) -> str:
    try:
        return f"{float(cell):.9g}"
    except ValueError:
        return cell


def evidence_files(result: AuditResult, folder: Path) -> dict[str, list[tuple[str, ...]]]:
    folder.mkdir()
    files = {}
    for name, frame in result.evidence.items():
        write_csv(frame, folder / f"{name}.csv")
        files[name] = canonical_rows(folder / f"{name}.csv")
    return files


def test_spark_over_parquet_gives_duckdbs_evidence_and_scores(
    spark: SparkSession, demo: tuple[str, Path], tmp_path: Path
) -> None:
    url, lake = demo
    expected = run_audit(url, MONTH, settings=Settings(), generated_at=GENERATED)

    result = run_audit(
        spark_engine(parquet=lake, session=spark),
        MONTH,
        settings=Settings(),
        generated_at=GENERATED,
    )

    assert result.database == f"spark:parquet:{lake.resolve()}"
    assert result.database_server == f"spark {spark.version}"
    assert not [q.name for q in result.queries if q.status != "ok"]
    assert {s.framework: s.score for s in result.frameworks} == {
        s.framework: s.score for s in expected.frameworks
    }
    assert [(c.control_id, c.status, c.finding_count) for c in result.controls] == [
        (c.control_id, c.status, c.finding_count) for c in expected.controls
    ]

    spark_files = evidence_files(result, tmp_path / "spark")
    duckdb_files = evidence_files(expected, tmp_path / "duckdb")
    assert spark_files.keys() == duckdb_files.keys()
    for name, rows in duckdb_files.items():
        assert spark_files[name] == rows, name
    # The planted brute-force source is among the findings on both engines.
    assert "203.0.113.66" in result.frame("brute_force_by_source")["client_ip"].tolist()


def test_month_partitions_are_read_and_absent_tables_read_no_data(
    spark: SparkSession, demo: tuple[str, Path], tmp_path: Path
) -> None:
    _, lake = demo
    assert (lake / "audit_log" / "created_month=2026-11").is_dir()
    assert [p.name for p in (lake / "roles").iterdir()] == ["part-00000-0.parquet"]

    partial = tmp_path / "lake"
    partial.mkdir()
    for table in lake.iterdir():
        if table.name != "consents":
            (partial / table.name).symlink_to(table, target_is_directory=True)
    engine = spark_engine(parquet=partial, session=spark)
    queries = load_queries()
    chosen = [queries["period_activity"], queries["consent_violations"]]
    values = {
        q.name: {"period_start": MONTH.start, "period_end": MONTH.end} for q in chosen
    }

    tables, _, outcomes = engine.run(chosen, values, Mapping({}), timeout_s=60)

    assert "consents" in tables.missing_optional
    assert outcomes["consent_violations"].status == "missing_table"
    assert outcomes["consent_violations"].error == "table(s) consents absent"
    assert outcomes["period_activity"].status == "ok"
    # The view holds the model's columns only, not the partition column.
    assert spark.table("audit_log").columns == [c.name for c in metadata.tables["audit_log"].c]


def test_a_period_query_reads_only_the_months_it_needs(
    spark: SparkSession, demo: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, lake = demo
    engine = spark_engine(parquet=lake, session=spark)
    engine.inventory(Mapping({}))  # type: ignore[attr-defined]
    query = load_queries()["failed_logins_per_day"]
    sql, args = to_spark(query).bind(
        query.bind({"period_start": MONTH.start, "period_end": MONTH.end})
    )

    spark.sql(sql, args=args).explain()

    plan = capsys.readouterr().out
    assert "PartitionFilters: [isnotnull(created_month" in plan
    assert "created_month#" in plan and ">= 2026-11)" in plan and "<= 2026-12)" in plan


def test_a_mapped_layout_gives_the_rows_of_the_model_layout(
    spark: SparkSession, demo: tuple[str, Path], tmp_path: Path
) -> None:
    """Their audit_log is app_events with other column names and upper-case event types."""
    _, lake = demo
    mapped = tmp_path / "lake"
    mapped.mkdir()
    for table in lake.iterdir():
        if table.name != "audit_log":
            (mapped / table.name).symlink_to(table, target_is_directory=True)
    # Arrow types kept, so user_id stays an integer column with nulls, as in a real lake.
    table = pq.read_table(lake / "audit_log").drop(["created_month"])
    events = table.to_pandas(types_mapper=pd.ArrowDtype)
    events = events.rename(columns={"created_at": "ts", "user_id": "actor"})
    events["event_type"] = events["event_type"].str.upper()
    (mapped / "app_events").mkdir()
    events.to_parquet(mapped / "app_events" / "part-0.parquet")
    vocabulary = {name.upper(): name for name in ("failed_login", "data_access")}
    mapping = Mapping.build(
        {
            "audit_log": TableMap(
                table="app_events",
                columns={"created_at": "ts", "user_id": "actor"},
                values={"event_type": vocabulary},
            )
        }
    )
    queries = load_queries()
    chosen = [queries["daily_audit_summary"], queries["period_activity"]]
    values = {q.name: {"period_start": MONTH.start, "period_end": MONTH.end} for q in chosen}

    *_, theirs = spark_engine(parquet=mapped, session=spark).run(
        chosen, values, mapping, timeout_s=120
    )
    *_, ours = spark_engine(parquet=lake, session=spark).run(
        chosen, values, Mapping({}), timeout_s=120
    )

    for query in chosen:
        assert theirs[query.name].status == "ok", theirs[query.name].error
        expected = ours[query.name].frame
        if query.name == "daily_audit_summary":
            # Types the vocabulary does not name pass through as they are, upper-case.
            expected = expected.assign(
                event_type=expected["event_type"].map(
                    lambda kind: kind if kind in vocabulary.values() else kind.upper()
                )
            )
        pd.testing.assert_frame_equal(
            theirs[query.name].frame.sort_values(list(expected.columns), ignore_index=True),
            expected.sort_values(list(expected.columns), ignore_index=True),
        )


def test_postgres_export_equals_duckdb_export(
    postgres_backend: Backend, demo: tuple[str, Path], tmp_path: Path
) -> None:
    url, lake = demo
    build_demo(postgres_backend.url, MONTH, events=EVENTS)

    export_parquet(postgres_backend.url, tmp_path / "pg", partition_by="month")

    for table in sorted(p.name for p in lake.iterdir()):
        keys = [(c.name, "ascending") for c in metadata.tables[table].primary_key.columns]
        ours = pq.read_table(lake / table).sort_by(keys)
        theirs = pq.read_table(tmp_path / "pg" / table).sort_by(keys)
        assert theirs.schema == ours.schema, table
        # PostgreSQL stores some demo floats as real: equal to seven digits, not all.
        pd.testing.assert_frame_equal(
            theirs.to_pandas(), ours.to_pandas(), check_exact=False, rtol=1e-6
        )


def test_spark_flags_are_checked_and_a_missing_extra_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError, match="--parquet needs --engine spark"):
        audit_source("sql", None, None, tmp_path, None)
    with pytest.raises(ConfigError, match="nexus-audit export"):
        audit_source("spark", "duckdb:///x.duckdb", None, tmp_path, None)
    with pytest.raises(ConfigError, match="exactly one"):
        audit_source("spark", None, None, None, None)

    monkeypatch.setitem(sys.modules, "nexus_audit.engines.spark", None)
    with pytest.raises(ConfigError, match=r"pip install 'nexus-audit\[spark\]'"):
        audit_source("spark", None, None, tmp_path, None)
