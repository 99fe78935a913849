"""The by-hand baseline: read the month into pandas and compute the figures there.

What an analyst does without nexus_audit: read the month's ``audit_log`` and
``login_attempts`` (plus the hour before it, for windows that reach back) into
DataFrames, then group by day and slide time windows per address and per account. The
six results are those of ``period_activity``, ``daily_audit_summary``,
``failed_logins_per_day``, ``brute_force_by_source``, ``compromised_account_candidates`` and
``suspicious_activity`` with their default parameters; their row counts are checked
against the queries' own, so both sides did the same work.

Variants: ``read_sql`` (``pandas.read_sql`` through SQLAlchemy, on both engines) and
``arrow`` (DuckDB's own Arrow export, then ``to_pandas``; DuckDB only).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
import sqlalchemy as sa

QUERIES = (
    "period_activity",
    "daily_audit_summary",
    "failed_logins_per_day",
    "brute_force_by_source",
    "compromised_account_candidates",
    "suspicious_activity",
)
LOOKBACK = timedelta(hours=1)
SELECT = "SELECT * FROM {table} WHERE created_at >= {low} AND created_at < {high}"


def by_hand(url: str, month: str, variant: str) -> dict[str, Any]:
    """Read, compute, and say how long each took and what came out."""
    from nexus_audit.period import Period

    period = Period.parse(month)
    started = time.perf_counter()
    events, attempts = read(url, period.start - LOOKBACK, period.end, variant)
    read_s = time.perf_counter() - started

    started = time.perf_counter()
    counts = compute(events, attempts, period.start)
    compute_s = time.perf_counter() - started

    return {
        "read_s": round(read_s, 3),
        "compute_s": round(compute_s, 3),
        "total_s": round(read_s + compute_s, 3),
        "rows_read": len(events) + len(attempts),
        "counts": counts,
    }


def read(
    url: str, low: datetime, high: datetime, variant: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both tables' rows in ``[low, high)``, every column, as DataFrames."""
    if variant == "arrow":
        return _read_arrow(url, low, high)

    engine = sa.create_engine(url)
    with engine.connect() as connection:
        frames = [
            pd.read_sql(
                sa.text(SELECT.format(table=table, low=":low", high=":high")),
                connection,
                params={"low": low, "high": high},
            )
            for table in ("audit_log", "login_attempts")
        ]
    engine.dispose()
    return _utc(frames[0]), _utc(frames[1])


def _read_arrow(
    url: str, low: datetime, high: datetime
) -> tuple[pd.DataFrame, pd.DataFrame]:
    import duckdb

    connection = duckdb.connect(str(sa.make_url(url).database), read_only=True)
    try:
        frames = [
            _arrow(
                connection.sql(
                    SELECT.format(table=table, low="?", high="?"), params=[low, high]
                )
            )
            for table in ("audit_log", "login_attempts")
        ]
    finally:
        connection.close()
    return _utc(frames[0]), _utc(frames[1])


def _arrow(relation: Any) -> pd.DataFrame:
    """Through Arrow: ``to_arrow_table`` from DuckDB 1.4, ``arrow`` before."""
    export = getattr(relation, "to_arrow_table", None) or relation.arrow
    frame: pd.DataFrame = export().to_pandas()
    return frame


def _utc(frame: pd.DataFrame) -> pd.DataFrame:
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
    return frame


def compute(
    events: pd.DataFrame, attempts: pd.DataFrame, start: datetime
) -> dict[str, int]:
    """Row counts of the six results, computed in pandas."""
    begin = pd.Timestamp(start)
    month_events = events[events["created_at"] >= begin]
    month_attempts = attempts[attempts["created_at"] >= begin]
    failed = month_attempts[~month_attempts["success"].astype(bool)]

    daily = month_events.groupby(
        [month_events["created_at"].dt.floor("D"), "event_type"]
    ).agg(events=("id", "size"), distinct_users=("user_id", "nunique"))
    failures_per_day = failed.groupby(failed["created_at"].dt.floor("D")).agg(
        failed_attempts=("id", "size"),
        distinct_users=("user_id", "nunique"),
        distinct_usernames=("username", "nunique"),
        distinct_ips=("client_ip", "nunique"),
    )

    return {
        "period_activity": 1,
        "audit_events": len(month_events),
        "login_attempts": len(month_attempts),
        "daily_audit_summary": len(daily),
        "failed_logins_per_day": len(failures_per_day),
        "brute_force_by_source": _brute_force(attempts, begin),
        "compromised_account_candidates": _busy_accounts(attempts, begin),
        "suspicious_activity": _suspicious(events, begin),
    }


def _peaks(
    frame: pd.DataFrame, key: str, window: str, begin: pd.Timestamp
) -> pd.Series:
    """Per ``key``, the most rows within ``window`` (closed, sliding) ending in the period."""
    ordered = frame.sort_values([key, "created_at"])
    counts = (
        ordered.groupby(key)
        .rolling(window, on="created_at", closed="both")["id"]
        .count()
        .reset_index()
    )
    in_period = counts[counts["created_at"] >= begin]
    peaks: pd.Series = in_period.groupby(key)["id"].max()
    return peaks


def _brute_force(attempts: pd.DataFrame, begin: pd.Timestamp) -> int:
    failed = attempts[~attempts["success"].astype(bool) & attempts["client_ip"].notna()]
    failed = failed[failed["created_at"] >= begin - pd.Timedelta(minutes=10)]
    return int((_peaks(failed, "client_ip", "10min", begin) >= 5).sum())


def _busy_accounts(attempts: pd.DataFrame, begin: pd.Timestamp) -> int:
    known = attempts[attempts["user_id"].notna()]
    return int((_peaks(known, "user_id", "60min", begin) > 10).sum())


def _suspicious(events: pd.DataFrame, begin: pd.Timestamp) -> int:
    kinds = events["event_type"].isin(["failed_login", "permission_denied"])
    chosen = events[kinds & events["user_id"].notna()]
    return int((_peaks(chosen, "user_id", "60min", begin) > 5).sum())


def engine_counts(url: str, month: str) -> dict[str, int]:
    """The same six results' row counts, from nexus_audit's queries in the engine."""
    from nexus_audit.database import open_engine, snapshot
    from nexus_audit.model import metadata
    from nexus_audit.period import Period
    from nexus_audit.queries import ParamValue, load_queries
    from nexus_audit.runner import run_query

    period = Period.parse(month)
    common: dict[str, ParamValue] = {
        "period_start": period.start,
        "period_end": period.end,
        "time_zone": "UTC",
    }
    queries = load_queries()
    engine = open_engine(url)
    counts: dict[str, int] = {}

    with snapshot(engine, statement_timeout_s=3600, lock_timeout_s=10) as connection:
        for name in QUERIES:
            declared = {param.name for param in queries[name].params}
            values = {k: v for k, v in common.items() if k in declared}
            outcome = run_query(
                connection,
                queries[name],
                values,
                frozenset(metadata.tables),
                timeout_s=3600,
            )
            counts[name] = len(outcome.frame)
            if name == "period_activity" and len(outcome.frame):
                counts["audit_events"] = int(outcome.frame["audit_events"].iloc[0])
                counts["login_attempts"] = int(outcome.frame["login_attempts"].iloc[0])
    engine.dispose()

    return counts
