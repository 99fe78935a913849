"""Query files are checked when they load, with errors that name the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from nexus_audit.errors import QueryFileError
from nexus_audit.queries import load_queries, parse_query, placeholders

HEADER = """-- name: sample
-- description: A sample.
-- tables: audit_log
-- state: period
-- param: period_start timestamp
-- param: limit_n integer = 5
-- column: n integer
"""


def write(tmp_path: Path, text: str, name: str = "sample.sql") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_queries_load_and_cover_a_period() -> None:
    queries = load_queries()

    first_set = {"period_activity", "daily_audit_summary", "failed_logins_per_day",
                 "suspicious_activity", "compromised_account_candidates",
                 "brute_force_by_source", "dormant_accounts", "privileged_mfa",
                 "role_grants_in_period", "dsr_deadlines", "breach_notifications",
                 "incident_response_times", "log_retention"}
    assert first_set <= set(queries)
    for query in queries.values():
        names = {param.name for param in query.params}
        if query.state != "current":
            assert "period_end" in names, query.name
        assert "now()" not in query.sql.lower(), query.name


def test_a_valid_file_parses(tmp_path: Path) -> None:
    sql = "SELECT COUNT(*) AS n FROM audit_log WHERE created_at >= :period_start LIMIT :limit_n"
    query = parse_query(write(tmp_path, HEADER + sql))

    assert [(p.name, p.type, p.default) for p in query.params] == [
        ("period_start", "timestamp", None),
        ("limit_n", "integer", 5),
    ]
    assert query.columns == (("n", "integer"),)


def test_placeholders_skip_casts_strings_and_comments() -> None:
    sql = "SELECT x::date, ':nope', y -- :comment\nFROM t WHERE a = :real AND b=:other"

    assert placeholders(sql) == {"real", "other"}


def test_undeclared_placeholder_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "SELECT :period_start, :limit_n, :surprise AS n")

    with pytest.raises(
        QueryFileError, match=r"sample.sql:8: placeholder\(s\) \['surprise'\]"
    ):
        parse_query(path)


def test_declared_but_unused_parameter_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(QueryFileError, match="differ from the placeholders"):
        parse_query(write(tmp_path, HEADER + "SELECT :period_start AS n"))


def test_bad_parameter_line_names_the_line(tmp_path: Path) -> None:
    text = HEADER.replace("limit_n integer = 5", "limit_n number = 5")

    with pytest.raises(QueryFileError, match=r"sample.sql:6"):
        parse_query(write(tmp_path, text + "SELECT 1"))


def test_unknown_table_and_wrong_name_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(QueryFileError, match="unknown table"):
        parse_query(
            write(tmp_path, HEADER.replace("audit_log", "audit_logs") + "SELECT 1")
        )

    with pytest.raises(QueryFileError, match="must match"):
        parse_query(
            write(tmp_path, HEADER + "SELECT :period_start, :limit_n", "other.sql")
        )


def test_a_value_without_default_must_be_given(tmp_path: Path) -> None:
    sql = "SELECT :period_start, :limit_n AS n"
    query = parse_query(write(tmp_path, HEADER + sql))

    with pytest.raises(QueryFileError, match="period_start"):
        query.bind({})
    assert query.bind({"period_start": 1}) == {"period_start": 1, "limit_n": 5}
