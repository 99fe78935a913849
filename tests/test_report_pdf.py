"""The PDF read back: PDF/A-3 metadata, attachments, contents, bookmarks, paging, fonts.

Each expectation is read from the PDF with pypdf and compared with what the fixture
put in or what the file itself states (the contents page's numbers against the pages
the headings are on), never with the renderer's own bookkeeping.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
import weasyprint

from nexus_audit.report import ReportOptions, render_pdf, write_report

from . import report_fixtures as fx

CLEAR = ReportOptions(show_personal_data=True)
# The fixture report with the 400-row table fills this many pages with WeasyPrint 70.0; a
# change is a regression to look at (orphans, widows and repeated headers change between
# releases).
PAGES_400_ROWS = 28
IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("report")
    result = fx.make_result({**fx.evidence(), "world_names": fx.world_frame()})
    return write_report(result, folder, CLEAR)


@pytest.fixture(scope="module")
def reader(written: dict[str, Path]) -> pypdf.PdfReader:
    return pypdf.PdfReader(written["pdf"])


@pytest.fixture(scope="module")
def raw_pages(reader: pypdf.PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


@pytest.fixture(scope="module")
def pages(raw_pages: list[str]) -> list[str]:
    return [" ".join(text.split()) for text in raw_pages]


def _outline(reader: pypdf.PdfReader, items: list[object], depth: int = 1) -> list:
    found = []
    for item in items:
        if isinstance(item, list):
            found += _outline(reader, item, depth + 1)
        else:
            found.append((depth, item.title, reader.get_destination_page_number(item)))
    return found


def _contents(raw_pages: list[str]) -> list[tuple[str, int]]:
    """(heading, page) pairs read from the contents page's dot leaders."""
    lines = [" ".join(line.split()) for line in raw_pages[1].splitlines()]
    assert lines[0] == "Contents"
    found = [re.fullmatch(r"(.*?) ?\.{3,} ?(\d+)", line) for line in lines[1:]]
    return [(m.group(1), int(m.group(2))) for m in found if m]


def test_pdf_a3_metadata(reader: pypdf.PdfReader) -> None:
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data()
    info = reader.metadata

    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="A"' in xmp
    assert len(reader.trailer["/ID"]) == 2
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert info is not None
    assert info.title == "Compliance report 2026-11 — " + fx.make_result().organisation
    assert info.author == fx.make_result().organisation
    assert "2026-11" in (info.subject or "") and "Confidential" in (info.subject or "")
    assert info["/CreationDate"].startswith("D:20261201030005")


@pytest.mark.skipif(shutil.which("verapdf") is None, reason="veraPDF is not installed")
def test_verapdf_finds_no_failed_rule(written: dict[str, Path]) -> None:
    run = subprocess.run(
        ["verapdf", "--flavour", "3a", "--format", "text", str(written["pdf"])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.stdout.startswith("PASS"), run.stdout


def test_every_evidence_file_is_attached_unchanged(
    reader: pypdf.PdfReader, written: dict[str, Path]
) -> None:
    folder = written["pdf"].parent
    on_disk = {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in [*(folder / "evidence").iterdir(), folder / "results.json"]
    }
    attached = {name: data[0] for name, data in reader.attachments.items()}

    assert set(attached) == set(on_disk) and "results.json" in attached
    for name, data in on_disk.items():
        assert attached[name] == data, name
    assert len(reader.trailer["/Root"]["/AF"]) == len(on_disk)


def test_contents_page_numbers_are_the_real_pages(
    raw_pages: list[str], pages: list[str]
) -> None:
    entries = _contents(raw_pages)
    sections = [(t, n) for t, n in entries if re.match(r"\d+ ", t)]

    assert [t for t, _ in sections][:2] == [
        "1 Executive summary",
        "2 Access-control effectiveness",
    ]
    assert len(sections) == 10
    for title, number in entries:
        assert title in pages[number - 1], (title, number)
    for title, number in sections:
        assert all(title not in pages[i] for i in range(2, number - 1)), title


def test_every_bookmark_lands_on_its_section(
    reader: pypdf.PdfReader, raw_pages: list[str], pages: list[str]
) -> None:
    marks = _outline(reader, reader.outline)
    contents = dict(_contents(raw_pages))
    families = [title for depth, title, _ in marks if depth == 3]

    assert marks[0] == (1, "Cover", 0)
    assert {t for d, t, _ in marks if d <= 2} == set(contents) | {"Cover", "Contents"}
    assert (
        "Requirement 8: Identify users and authenticate access to system components"
        in families
    )
    assert any(title.startswith("Article 33") for title in families)
    for _depth, title, index in marks[1:]:
        assert title in pages[index], (title, index + 1)
        if title in contents:
            assert index + 1 == contents[title], title


def test_every_page_has_footer_and_running_header(pages: list[str]) -> None:
    total = len(pages)
    organisation = " ".join(fx.make_result().organisation.split())

    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
        if number > 1:
            assert organisation in text and "2026-11" in text and "Confidential" in text


def test_cover_states_status_classification_time_and_version(pages: list[str]) -> None:
    cover = pages[0]

    for fact in (
        "Classification Confidential",
        "INCOMPLETE — 1 query failed",
        "Generated 2026-12-01 03:00:05 UTC",
        "Library version nexus_audit 0.1.0",
        "Personal data is shown in clear",
    ):
        assert fact in cover, fact


def _fonts_cover(text: str) -> bool:
    """Whether fontconfig, which WeasyPrint asks, has a font for every character."""
    if shutil.which("fc-list") is None:
        return False
    for char in {c for c in text if not c.isspace()}:
        found = subprocess.run(
            ["fc-list", f":charset={ord(char):x}", "family"],
            capture_output=True,
            text=True,
            check=False,
        )
        if not found.stdout.strip():
            return False
    return True


def test_names_in_every_script_are_extractable(pages: list[str]) -> None:
    if not _fonts_cover("".join(fx.WORLD_NAMES)):
        if IN_CI:
            pytest.fail("CI must install fonts-noto-cjk and fonts-noto-color-emoji")
        pytest.skip("install fonts-noto-cjk and fonts-noto-color-emoji to run this")
    text = " ".join(pages)

    for name in fx.WORLD_NAMES:
        assert name in text, name


def test_undrawable_characters_are_named_not_boxed() -> None:
    candidates = {0x0930: "DEVANAGARI LETTER RA", 0xE000: ""}
    missing = [cp for cp in candidates if not _fonts_cover(chr(cp))]
    if shutil.which("fc-list") is None or not missing:
        pytest.skip("fontconfig's fc-list is needed, and a font lacking a candidate")
    frame = fx.world_frame()
    frame.loc[0, "username"] = "".join(chr(cp) for cp in candidates) + " " + fx.GREEK
    result = fx.make_result({"world_names": frame})

    text = " ".join(
        (page.extract_text() or "")
        for page in pypdf.PdfReader(io.BytesIO(render_pdf(result, options=CLEAR))).pages
    )
    flat = " ".join(text.split())

    for code_point in missing:
        assert f"[U+{code_point:04X}]" in flat
        label = f"U+{code_point:04X} {candidates[code_point]}".strip()
        assert label in flat
    assert "fonts cannot draw" in flat
    assert fx.GREEK in flat and fx.CYRILLIC in flat


def test_400_row_table_repeats_header_and_never_splits_a_row() -> None:
    frame = fx.grants_frame()
    result = fx.make_result({"access_review": frame})
    pdf = render_pdf(result, row_cap=fx.MANY_ROWS, options=ReportOptions(sample_rows=0))
    pages = [
        " ".join((page.extract_text() or "").split())
        for page in pypdf.PdfReader(io.BytesIO(pdf)).pages
    ]
    appendix = [i for i, text in enumerate(pages) if "9 Evidence appendix" in text][-1]
    holding = {
        key: [i for i, text in enumerate(pages) if key in text and i >= appendix]
        for key in frame["grant_ref"]
    }

    for position, (key, found) in enumerate(holding.items()):
        assert len(found) == 1, (key, found)
        if position % 5 == 0:
            assert f"role-{position:03d}-3" in pages[found[0]], key
    for index in {i for found in holding.values() for i in found}:
        assert all(name in pages[index] for name in frame.columns), index + 1
    if weasyprint.__version__ == "70.0":
        assert len(pages) == PAGES_400_ROWS
