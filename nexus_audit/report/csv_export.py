"""Full evidence as CSV, written in chunks, with spreadsheet formulas defused."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
from pandas.api import types

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK_ROWS = 10_000


def neutralise(value: object) -> object:
    """Prefix an apostrophe to text a spreadsheet would take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value

    return value


def _is_text(column: pd.Series) -> bool:
    """Numbers, booleans and timestamps cannot hold a formula; everything else can."""
    return not (
        types.is_numeric_dtype(column)
        or types.is_bool_dtype(column)
        or types.is_datetime64_any_dtype(column)
        or types.is_timedelta64_dtype(column)
    )


def _safe(chunk: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot run as formulas; numbers stay numbers."""
    safe = chunk.copy()
    for position in range(chunk.shape[1]):
        column = chunk.iloc[:, position]
        if _is_text(column):
            values = column.astype(object).map(neutralise).to_numpy(dtype=object)
            safe.isetitem(position, values)

    return safe


def write_csv(frame: pd.DataFrame, path: Path, *, chunk_rows: int = CHUNK_ROWS) -> int:
    """Write every row of ``frame`` to ``path``; return the number of rows.

    UTF-8 with a byte-order mark, so spreadsheets read non-Latin names correctly.
    """
    header = [str(neutralise(str(name))) for name in frame.columns]

    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        for start in range(0, max(len(frame), 1), chunk_rows):
            chunk = _safe(frame.iloc[start : start + chunk_rows])
            chunk.to_csv(
                handle,
                header=header if start == 0 else False,
                index=False,
                na_rep="",
                lineterminator="\r\n",
            )

        handle.flush()
        os.fsync(handle.fileno())

    return len(frame)
