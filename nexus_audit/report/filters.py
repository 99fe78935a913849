"""How values read in the report; every Jinja filter is defined and listed here.

Auditors compare the report with the CSV files and the database, so values are shown
exactly: counts as integers, floats without rounding, missing values as an em dash and
timestamps in UTC.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import ROUND_FLOOR, Decimal
from typing import Any, cast

import numpy as np
import pandas as pd

from ..results import Status

EM_DASH = "\u2014"
CELL_LIMIT = 400

_STATUS_TEXT: dict[Status, tuple[str, str, str]] = {
    Status.PASS: ("\u2713", "Pass", "Pass"),
    Status.FAIL: ("\u2717", "Fail", "Fail"),
    Status.NOT_APPLICABLE: ("\u2013", "Not applicable", "Not applicable"),
    Status.MANUAL: ("\u270e", "Manual \u2014 attestation required", "Manual"),
    Status.ERROR: ("\u26a0", "Error", "Error"),
    Status.NO_DATA: ("\u2205", "No data", "No data"),
}

_STATE_TEXT = {
    "period": "events in the period",
    "period_end": "state at period end",
    "current": "current state (when the audit ran)",
}


def is_missing(value: object) -> bool:
    """True for None, NA, NaT and NaN; False for containers instead of raising."""
    if value is None:
        return True

    if not pd.api.types.is_scalar(value):
        return False

    return bool(pd.isna(cast(Any, value)))


def finalize(value: object) -> object:
    """Safety net for ``{{ }}``: a missing value never prints as None or <NA>."""
    return EM_DASH if is_missing(value) else value


def utc(value: object) -> str:
    """``YYYY-MM-DD HH:MM:SS UTC``; naive values are taken as UTC, as stored."""
    if is_missing(value):
        return EM_DASH

    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)

    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")

    if isinstance(value, date):
        return value.isoformat()

    return str(value)


def iso(value: datetime) -> str:
    """ISO 8601 in UTC, for document metadata."""
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _float(value: float) -> str:
    """Integral floats as integers; others unrounded, so thresholds stay checkable."""
    if math.isinf(value):
        return "\u221e" if value > 0 else "-\u221e"

    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))

    return repr(value)


def _decimal(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))

    return str(value)


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text

    return f"{text[:limit]}\u2026 [{len(text) - limit} more characters in the CSV]"


def cell(value: object, limit: int = CELL_LIMIT) -> str:
    """One value of an evidence table or a count, as text."""
    if is_missing(value):
        return EM_DASH

    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"

    if isinstance(value, int | np.integer):
        return str(int(value))

    if isinstance(value, float | np.floating):
        return _float(float(value))

    if isinstance(value, datetime | date | np.datetime64):
        return utc(value)

    if isinstance(value, Decimal):
        return _decimal(value)

    return _clip(str(value), limit)


def score(value: float | None) -> str:
    """A framework score, rounded down so a report never overstates compliance."""
    if value is None:
        return "not assessed"

    floored = Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)
    return f"{floored} %"


def duration(ms: float) -> str:
    """A query's run time."""
    if ms >= 1000:
        return f"{ms / 1000:.2f} s"

    return f"{ms:.1f} ms"


def status_symbol(status: str) -> str:
    """A glyph that repeats the status, so the badge is not colour alone."""
    return _STATUS_TEXT[Status(status)][0]


def status_label(status: str, short: bool = False) -> str:
    """The badge's words."""
    _, label, short_label = _STATUS_TEXT[Status(status)]
    return short_label if short else label


def status_key(status: str) -> str:
    """A CSS class name for the status."""
    return Status(status).value.replace("_", "-")


def state_label(state: str) -> str:
    """What a query judges: events in the period, or a state at a moment."""
    return _STATE_TEXT.get(state, state)


def plural(count: int, singular: str, several: str | None = None) -> str:
    """``1 row``, ``3 rows``."""
    word = singular if count == 1 else (several or f"{singular}s")
    return f"{count} {word}"


FILTERS: dict[str, Callable[..., Any]] = {
    "cell": cell,
    "utc": utc,
    "iso": iso,
    "score": score,
    "duration": duration,
    "status_symbol": status_symbol,
    "status_label": status_label,
    "status_key": status_key,
    "state_label": state_label,
    "plural": plural,
}
