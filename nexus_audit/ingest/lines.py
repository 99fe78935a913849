"""Reading text inputs line by line: gzip or plain, rotated sets, bad lines reported.

A line that is not valid UTF-8 or holds NUL bytes is reported and skipped; every other
line of the file is still read. A gzip file that ends early is read up to the break,
and the break is reported.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..errors import ConfigError
from .records import Skip

_GZIP_MAGIC = b"\x1f\x8b"
_ROTATED = re.compile(
    r"^(?P<base>.+?)(?:\.(?P<number>\d+)|-(?P<date>\d{8}))?(?:\.gz)?$"
)


def is_gzip(path: Path) -> bool:
    """True when the file starts with a gzip header, whatever its name.

    Signature, deflate method and no reserved flag: a text file that merely starts with
    the two signature bytes is read as text, line by line.
    """
    with path.open("rb") as handle:
        header = handle.read(10)
    return (
        len(header) == 10
        and header[:2] == _GZIP_MAGIC
        and header[2] == 8
        and header[3] & 0xE0 == 0
    )


def raw_lines(path: Path) -> Iterator[bytes]:
    """The file's lines as bytes without line endings, decompressed if need be."""
    opener = gzip.open if is_gzip(path) else open
    with opener(path, "rb") as handle:
        for raw in handle:
            yield raw.rstrip(b"\r\n")


def text_lines(path: Path) -> Iterator[tuple[int, str] | Skip]:
    """``(line number, text)`` per good line, a :class:`Skip` per bad one."""
    number = 0
    try:
        for number, raw in enumerate(raw_lines(path), start=1):
            if b"\x00" in raw:
                yield Skip(path.name, number, "binary data (NUL bytes) in the line")
                continue
            try:
                yield number, raw.decode("utf-8")
            except UnicodeDecodeError:
                yield Skip(path.name, number, "not valid UTF-8 text")
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        yield Skip(
            path.name,
            number + 1,
            f"compressed data ends early or is damaged ({error}); the rest is unreadable",
        )


def check_paths(paths: Sequence[Path]) -> list[Path]:
    """The inputs as paths; a missing one is an error before anything is read."""
    missing = [str(path) for path in paths if not Path(path).is_file()]
    if missing:
        raise ConfigError(f"input file(s) not found: {', '.join(missing)}")
    if not paths:
        raise ConfigError("name at least one input file to ingest")

    return [Path(path) for path in paths]


def rotated_sets(paths: Sequence[Path]) -> list[list[Path]]:
    """Files grouped by log (``auth.log``, ``auth.log.1``, ``auth.log.2.gz``), oldest first.

    A higher rotation number is older; a date suffix sorts by date; the plain name is
    the newest. Files of different logs stay in separate groups.
    """
    groups: dict[tuple[Path, str], list[tuple[tuple[int, int], Path]]] = {}

    for path in paths:
        match = _ROTATED.match(path.name)
        assert match is not None
        if match.group("number"):
            order = (0, -int(match.group("number")))
        elif match.group("date"):
            order = (1, int(match.group("date")))
        else:
            order = (2, 0)
        groups.setdefault((path.parent, match.group("base")), []).append((order, path))

    return [[path for _, path in sorted(group)] for group in groups.values()]
