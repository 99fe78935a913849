"""From numpy columns to typed DataFrames.

The bulk tables are generated as integer codes into vocabularies (a user's address,
an event type, a resource) and become pandas categoricals only at the end: a million
rows then cost a million small integers, not a million Python strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._clock import Ints

Columns = dict[str, npt.NDArray[Any]]
Codes = npt.NDArray[np.int32]
"""Codes into a vocabulary; int32 halves the memory of a month's columns."""


class Vocabulary:
    """Distinct strings, each with a stable integer code in order of first use."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self.values: list[str] = []
        self._codes: dict[str, int] = {}
        self.codes(values)

    def code(self, value: str) -> int:
        """The code of ``value``, adding it when new."""
        found = self._codes.get(value)
        if found is None:
            found = self._codes[value] = len(self.values)
            self.values.append(value)

        return found

    def codes(self, values: Iterable[str | None]) -> Codes:
        """Codes of ``values``; ``None`` becomes -1 (a null)."""
        found = [-1 if value is None else self.code(value) for value in values]

        return np.array(found, dtype=np.int32)

    def column(self, codes: npt.NDArray[np.integer[Any]]) -> pd.Categorical[str]:
        """A categorical column; code -1 is null."""
        return categorical(codes, self.values)


def categorical(
    codes: npt.NDArray[np.integer[Any]], values: Sequence[str]
) -> pd.Categorical[str]:
    """A categorical column of ``values``; code -1 is null."""
    return pd.Categorical.from_codes(codes, categories=pd.Index(values))


def concat(parts: Sequence[Columns]) -> Columns:
    """Stack column sets that share their names."""
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}


def take(columns: Columns, index: npt.NDArray[Any]) -> Columns:
    """Rows ``index`` (positions or a boolean mask) of every column."""
    return {name: values[index] for name, values in columns.items()}


def timestamps(micros: Ints) -> pd.DatetimeIndex:
    """UTC timestamps from epoch microseconds; ``NULL_TIME`` becomes NaT."""
    return pd.DatetimeIndex(micros.astype("datetime64[us]")).tz_localize("UTC")


def micros(values: pd.Series) -> Ints:
    """Epoch microseconds of a timestamp column; NaT becomes ``NULL_TIME``."""
    return pd.DatetimeIndex(values).as_unit("us").asi8


def ids(index: Ints) -> pd.arrays.IntegerArray:
    """User ids from user positions (id = position + 1); -1 becomes null."""
    return pd.arrays.IntegerArray(np.where(index < 0, 0, index + 1), index < 0)


def where(mask: npt.NDArray[np.bool_], value: object) -> pd.Series:
    """``value`` where ``mask`` holds, null elsewhere (typed by pandas, not numpy)."""
    return pd.Series([value if flag else None for flag in mask.tolist()], dtype=object)
