"""Apply a control's rule to its query's rows: status, reason, findings and their keys.

Each finding gets a stable key from the rule's ``key`` columns (by default the query's
first column), so a waiver can name one finding and the history can tell a finding that
is new from one still open. A rule that judges the control as a whole (a count over a
summary row, a single-row check) gives the empty key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from .checklists import Rule
from .period import Period
from .results import Status

MAX_KEYS = 1000
"""Finding keys kept per control; more are counted but not listed."""


@dataclass(frozen=True)
class Judgement:
    """What a rule decided about one control."""

    status: Status
    reason: str
    findings: int | None
    keys: tuple[str, ...] = ()


def apply_rule(rule: Rule, frame: pd.DataFrame, period: Period) -> Judgement:
    """Apply a rule to a query's rows (filtered by the rule's ``where`` first)."""
    frame = _filtered(rule, frame)
    label = _label(rule)

    if rule.type == "every_day":
        return _every_day(rule, frame, period)
    if rule.type == "count":
        return _count(rule, frame, label)
    if frame.empty and rule.if_empty:
        return _empty(rule.if_empty, label)
    if rule.type == "no_rows":
        return _no_rows(rule, frame, label)
    if rule.type == "no_flagged":
        return _no_flagged(rule, frame, label)

    return _all_true(rule, frame, label)


def flags(values: pd.Series) -> pd.Series:
    """True where a row is flagged: a true boolean, a number above zero, or any text."""
    if pd.api.types.is_bool_dtype(values):
        return values.fillna(False).astype(bool)
    if pd.api.types.is_numeric_dtype(values):
        return (values.fillna(0) > 0).astype(bool)
    return values.notna() & (values.astype("string").str.len() > 0)


def finding_key(values: tuple[object, ...]) -> str:
    """A row's key: its key values as text, joined by ``|``."""
    return "|".join(_text(value) for value in values)


def _filtered(rule: Rule, frame: pd.DataFrame) -> pd.DataFrame:
    for column, wanted in rule.where.items():
        values = frame[column]
        if isinstance(wanted, bool):
            keep = flags(values) if wanted else ~flags(values)
        else:
            keep = values.astype("string") == str(wanted)
        frame = frame[keep.fillna(False).astype(bool)]

    return frame


def _label(rule: Rule) -> str:
    if not rule.where:
        return rule.query
    condition = ", ".join(f"{k} = {v}" for k, v in rule.where.items())
    return f"{rule.query} ({condition})"


def _keys(rule: Rule, frame: pd.DataFrame) -> tuple[str, ...]:
    columns = list(rule.key) or [str(frame.columns[0])]
    rows = frame[columns].head(MAX_KEYS).astype(object)

    return tuple(finding_key(tuple(row)) for row in rows.itertuples(index=False))


def _empty(status: str, label: str) -> Judgement:
    reasons = {
        "pass": f"{label} returned no rows.",
        "fail": f"{label} returned no rows: nothing is on record to show the requirement is met.",
        "not_applicable": f"{label} found nothing due in the period.",
        "no_data": f"No data: {label} returned no rows, so there is nothing to judge.",
    }
    findings = 1 if status == "fail" else (0 if status != "no_data" else None)

    return Judgement(
        Status(status), reasons[status], findings, ("",) if findings else ()
    )


def _no_rows(rule: Rule, frame: pd.DataFrame, label: str) -> Judgement:
    if frame.empty:
        return Judgement(Status.PASS, f"{label} returned no rows.", 0)

    return Judgement(
        Status.FAIL,
        f"{label} returned {len(frame)} row(s).",
        len(frame),
        _keys(rule, frame),
    )


def _no_flagged(rule: Rule, frame: pd.DataFrame, label: str) -> Judgement:
    assert rule.column is not None
    if frame.empty:
        return Judgement(
            Status.NOT_APPLICABLE, f"{label} found nothing due in the period.", 0
        )

    flagged = flags(frame[rule.column])
    count = int(flagged.sum())
    if count:
        return Judgement(
            Status.FAIL,
            f"{count} of {len(frame)} row(s) of {label} are flagged.",
            count,
            _keys(rule, frame[flagged]),
        )

    return Judgement(
        Status.PASS, f"None of the {len(frame)} row(s) of {label} is flagged.", 0
    )


def _count(rule: Rule, frame: pd.DataFrame, label: str) -> Judgement:
    assert rule.column is not None and rule.population is not None
    judged = int(pd.to_numeric(frame[rule.population]).fillna(0).sum())
    if judged == 0:
        empty = rule.if_empty or "no_data"
        return _empty(empty, f"{label} ({rule.population})")

    bad = pd.to_numeric(frame[rule.column]).fillna(0)
    count = int(bad.sum())
    what = f"{rule.column.replace('_', ' ')}: {count} of {judged} {rule.population}"
    if not count:
        return Judgement(Status.PASS, f"{label}: {what}.", 0)

    keys = _keys(rule, frame[bad > 0]) if rule.key else ("",)
    return Judgement(Status.FAIL, f"{label}: {what}.", count, keys)


def _every_day(rule: Rule, frame: pd.DataFrame, period: Period) -> Judgement:
    assert rule.column is not None
    label = f"{_label(rule)} ({rule.column})"
    seen = {stamp.date() for stamp in pd.to_datetime(frame[rule.column]).dropna()}
    missing = [day for day in period.days if day not in seen]

    if not missing:
        return Judgement(Status.PASS, f"{label} covers all {len(period.days)} days.", 0)

    shown = ", ".join(day.isoformat() for day in missing[:10])
    more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
    return Judgement(
        Status.FAIL,
        f"{label} misses {len(missing)} day(s): {shown}{more}.",
        len(missing),
        tuple(day.isoformat() for day in missing[:MAX_KEYS]),
    )


def _all_true(rule: Rule, frame: pd.DataFrame, label: str) -> Judgement:
    assert rule.column is not None
    values = frame[rule.column]

    if len(values) == 1 and bool(values.fillna(False).iloc[0]):
        return Judgement(Status.PASS, f"{label}: {rule.column} holds.", 0)

    return Judgement(Status.FAIL, f"{label}: {rule.column} does not hold.", 1, ("",))


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, pd.Timestamp | datetime | date):
        return value.isoformat()
    return str(value)
