"""Characters the installed fonts cannot draw, found before the PDF is laid out.

WeasyPrint draws such a character as an empty box (``.notdef``) and only logs it; worse,
with WeasyPrint 70 one such glyph can spoil the text layer of every other string set in
the same font, so names in Cyrillic or Greek stop being searchable. So the PDF's text is
probed first, in a one-page document with the report's own stylesheet, and every
character no font could draw is written as ``[U+XXXX]`` instead and named in the
report's warnings. The HTML file keeps the characters: the reader's browser draws them.

On Debian, ``fonts-dejavu-core``, ``fonts-noto-cjk`` and ``fonts-noto-color-emoji``
cover Latin, Cyrillic, Greek, Arabic, Hebrew, CJK and emoji.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

logger = logging.getLogger(__name__)

_UNDRAWN = re.compile(r"unsupported by fonts: .*\(U\+([0-9A-F]{4,6})\)")
_NON_ASCII = re.compile(r"\S*[^\x00-\x7f]\S*")
_SKIPPED = re.compile(r"<(style|script|title)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.code_points: set[int] = set()

    def emit(self, record: logging.LogRecord) -> None:
        match = _UNDRAWN.search(record.getMessage())
        if match:
            self.code_points.add(int(match.group(1), 16))


@contextmanager
def undrawn_glyphs() -> Iterator[set[int]]:
    """Collect the code points WeasyPrint reports as drawn with ``.notdef``."""
    collector = _Collector()
    engine_log = logging.getLogger("weasyprint")
    engine_log.addHandler(collector)
    try:
        yield collector.code_points
    finally:
        engine_log.removeHandler(collector)


def visible_words(html: str) -> list[str]:
    """The distinct words of the page's text that hold a non-ASCII character."""
    text = html_lib.unescape(_TAG.sub(" ", _SKIPPED.sub(" ", html)))
    return sorted(set(_NON_ASCII.findall(text)))


def probe(html: str, render: Callable[[str], Any]) -> list[int]:
    """Code points of ``html``'s text that ``render`` (a PDF layout) cannot draw."""
    words = visible_words(html)
    if not words:
        return []

    style = _STYLE.search(html)
    page = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"{style.group() if style else ''}</head><body><p>"
        f"{html_lib.escape(' '.join(words))}</p></body></html>"
    )
    with undrawn_glyphs() as missing:
        render(page)

    return sorted(missing)


def name(code_point: int) -> str:
    """``U+0930 DEVANAGARI LETTER RA``; unnamed code points keep only their number."""
    label = unicodedata.name(chr(code_point), "")
    return f"U+{code_point:04X} {label}".rstrip()


def replace(html: str, code_points: list[int]) -> str:
    """``html`` with each undrawable character written as ``[U+XXXX]``."""
    return html.translate({cp: f"[U+{cp:04X}]" for cp in code_points})


def warning(code_points: list[int]) -> str:
    """The sentence the report's warnings carry."""
    names = "; ".join(name(cp) for cp in code_points)
    return (
        f"The PDF's fonts cannot draw {len(code_points)} character(s), shown there as "
        f"[U+XXXX] (the HTML file and the CSV files hold them): {names}. "
        "Install fonts that cover them (on Debian: fonts-noto-cjk, "
        "fonts-noto-color-emoji, fonts-noto-core)."
    )
