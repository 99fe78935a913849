"""The shipped queries translate to Spark SQL; a query that cannot names itself and why."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("sqlglot", reason="the spark extra (sqlglot) is not installed")

from nexus_audit.engines.spark_sql import to_spark, translate_all  # noqa: E402
from nexus_audit.errors import QueryFileError  # noqa: E402
from nexus_audit.queries import load_queries, parse_query, placeholders  # noqa: E402

HEADER = """-- name: {name}
-- description: A sample.
-- tables: login_attempts
-- state: period
-- param: period_start timestamp
-- param: window_minutes integer = 10
-- column: n integer
"""


def write(tmp_path: Path, name: str, sql: str) -> Path:
    path = tmp_path / f"{name}.sql"
    path.write_text(HEADER.format(name=name) + sql, encoding="utf-8")
    return path


def test_every_shipped_query_translates_and_keeps_its_parameters() -> None:
    queries = load_queries()
    translated = translate_all(list(queries.values()))

    assert set(translated) == set(queries)
    for name, query in queries.items():
        spark = translated[name]
        assert placeholders(spark.text) | spark.frame_params == placeholders(query.sql)


def test_a_query_spark_cannot_run_fails_loading_with_its_name_and_reason(
    tmp_path: Path,
) -> None:
    good = parse_query(write(tmp_path, "fine", "SELECT COUNT(*) FROM login_attempts "
                                               "WHERE created_at >= :period_start "
                                               "AND :window_minutes > 0"))
    bad = parse_query(write(tmp_path, "locking", "SELECT COUNT(*) FROM login_attempts "
                                                 "WHERE created_at >= :period_start "
                                                 "AND :window_minutes > 0 FOR UPDATE"))

    with pytest.raises(QueryFileError) as caught:
        translate_all([good, bad])

    message = str(caught.value)
    assert "'locking'" in message and "locking.sql" in message
    assert "cannot be translated to Spark SQL" in message
    assert "FOR UPDATE" in message


def test_window_frame_bounds_become_constants_and_other_values_stay_bound(
    tmp_path: Path,
) -> None:
    query = parse_query(write(tmp_path, "framed", """SELECT COUNT(*) OVER (
    ORDER BY created_at
    RANGE BETWEEN :window_minutes * INTERVAL '1 minute' PRECEDING AND CURRENT ROW)
FROM login_attempts WHERE created_at >= :period_start"""))
    spark = to_spark(query)

    sql, args = spark.bind({"window_minutes": 15, "period_start": "2026-11-01"})

    assert "RANGE BETWEEN INTERVAL '15' MINUTE PRECEDING AND CURRENT ROW" in sql
    assert args == {"period_start": "2026-11-01"}
    with pytest.raises(QueryFileError, match="window_minutes"):
        spark.bind({"window_minutes": "15", "period_start": "2026-11-01"})


def test_postgres_constructs_spark_lacks_are_rewritten(tmp_path: Path) -> None:
    query = parse_query(write(tmp_path, "rewritten", """SELECT
    EXTRACT(EPOCH FROM (a - b)) / 60.0,
    STRING_AGG(DISTINCT c, ', ' ORDER BY c) FILTER (WHERE d),
    CAST(a AS DATE) - CAST(b AS DATE),
    EXTRACT(ISODOW FROM a),
    CAST(details AS JSON) ->> 'account'
FROM login_attempts WHERE created_at >= :period_start AND :window_minutes > 0"""))

    sql = to_spark(query).text

    assert "((UNIX_MICROS(CAST(a AS TIMESTAMP)) - UNIX_MICROS(CAST(b AS TIMESTAMP))) / 1e6)" in sql
    assert "ARRAY_JOIN(ARRAY_SORT(COLLECT_SET(c) FILTER(WHERE d)), ', ')" in sql
    assert "DATEDIFF(CAST(a AS DATE), CAST(b AS DATE))" in sql
    assert "EXTRACT(DAYOFWEEK_ISO FROM a)" in sql
    assert "GET_JSON_OBJECT(details, '$.account')" in sql


def test_month_bounds_follow_only_constant_conditions_that_every_row_must_meet() -> None:
    import sqlglot

    from nexus_audit.engines.spark_months import prune_months

    def pruned(sql: str) -> str:
        return prune_months(sqlglot.parse_one(sql, read="postgres")).sql("spark")

    both = pruned(
        "SELECT * FROM audit_log AS a JOIN users AS u ON u.user_id = a.user_id "
        "WHERE a.created_at >= :period_start AND a.created_at < :period_end"
    )
    assert "FROM audit_log__months WHERE created_month >= DATE_FORMAT(CAST(:period_start " \
        "AS TIMESTAMP), 'yyyy-MM') AND created_month <= DATE_FORMAT(CAST(:period_end AS " \
        "TIMESTAMP), 'yyyy-MM')) AS a" in both
    assert "users__months" not in both  # users has created_at but no condition on it

    # Under OR, against another row's column, or on a CTE: no bound is implied.
    for sql in (
        "SELECT * FROM audit_log WHERE created_at >= :period_start OR id = 1",
        "SELECT * FROM audit_log AS a JOIN login_attempts AS l ON TRUE "
        "WHERE a.created_at >= l.created_at",
        "WITH audit_log AS (SELECT 1 AS created_at) "
        "SELECT * FROM audit_log WHERE created_at >= 0",
    ):
        assert "__months" not in pruned(sql), sql
