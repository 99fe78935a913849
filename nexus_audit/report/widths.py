"""Column widths for evidence tables, from the text the report shows.

Evidence tables use a fixed layout with these widths: WeasyPrint's automatic table
layout measures every cell at every possible break and is several times slower.
Widths are in average characters of evidence text, turned into percentages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .filters import cell

LINE = 112  # characters of 7.5 pt text across an A4 content box
DENSE_LINE = 130  # the same at 6.5 pt, for tables too wide for 7.5 pt
PADDING = 3  # cell padding, in characters
WIDEST = 80  # a column never asks for more; longer values wrap
WORD = 20  # a longer word may break anywhere, so it never asks for more
HEADER_WHOLE = 14  # headers up to this long never break
BOLD = 1.35  # bold header text runs this much wider


def span(text: str) -> int:
    """Width in average characters; digits and capitals run wider."""
    wide = sum(1 for c in text if c.isdigit() or c.isupper())
    return round(len(text) + 0.2 * wide)


def _cell_range(value: object) -> tuple[int, int]:
    """(narrowest, widest) for one value: free text may wrap between words."""
    text = cell(value)
    full = span(text)
    if not isinstance(value, str):
        return full, full

    words = max((span(word) for word in text.split()), default=0)
    return min(words, WORD), full


def _header_range(name: str) -> tuple[int, int]:
    full = round(span(name) * BOLD)
    if len(name) <= HEADER_WHOLE:
        return full, full

    parts = re.split(r"(?<=[_ ])", name)
    return round(max(span(p) for p in parts) * BOLD), full


def _column_range(name: str, values: Sequence[object]) -> tuple[int, int]:
    low, high = _header_range(name)
    for value in values:
        narrow, wide = _cell_range(value)
        low, high = max(low, narrow), max(high, wide)

    return min(low, WIDEST) + PADDING, min(high, WIDEST) + PADDING


def _sizes(ranges: list[tuple[int, int]], line: int) -> list[float]:
    """Everyone's widest if that fits; else narrowest plus a share of the spare."""
    lows = [low for low, _ in ranges]
    highs = [high for _, high in ranges]
    if sum(highs) <= line:
        return [float(h) for h in highs]
    if sum(lows) >= line:
        return [float(low) for low in lows]

    spare = line - sum(lows)
    slack = sum(highs) - sum(lows)
    return [low + spare * (high - low) / slack for low, high in ranges]


def percentages(
    names: Sequence[str], rows: Sequence[Sequence[object]]
) -> tuple[list[float], bool]:
    """Percent widths of the columns, and whether the table needs the smaller type."""
    ranges = [
        _column_range(name, [row[index] for row in rows])
        for index, name in enumerate(names)
    ]
    dense = sum(low for low, _ in ranges) > LINE

    sizes = _sizes(ranges, DENSE_LINE if dense else LINE)
    total = sum(sizes) or 1.0
    return [round(100 * size / total, 2) for size in sizes], dense
