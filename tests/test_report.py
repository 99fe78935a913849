"""The monthly report: sections, escaping, caps, paging, CSV evidence, atomic writes."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pypdf
import pytest
from jinja2 import UndefinedError
from markupsafe import escape

from nexus_audit.errors import RenderError
from nexus_audit.report import (
    ReportOptions,
    context,
    csv_export,
    render,
    render_html,
    render_pdf,
    write_report,
)
from nexus_audit.report.filters import EM_DASH, cell, score, utc
from nexus_audit.results import AuditResult

from . import report_fixtures as fx

SECTIONS = [
    "Contents",
    "1 Executive summary",
    "2 Access-control effectiveness",
    "3 Data encryption verification",
    "4 Security incident summary",
    "5 Audit-log review results",
    "6 Compliance test results",
    "7 Scope and methodology",
    "8 Sample for re-testing",
    "9 Evidence appendix",
    "10 Reviewer sign-off",
]
PDF_CAP = 25


CLEAR = ReportOptions(show_personal_data=True, sample_rows=0)


@pytest.fixture(scope="module")
def result() -> AuditResult:
    return fx.make_result()


@pytest.fixture(scope="module")
def html(result: AuditResult) -> str:
    return render_html(result, options=CLEAR)


@pytest.fixture(scope="module")
def pdf_pages(result: AuditResult) -> list[str]:
    pdf = render_pdf(result, row_cap=PDF_CAP, options=CLEAR)
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _report_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


def test_html_parses_with_every_section_in_order(html: str) -> None:
    page = fx.Page(html)

    assert page.headings == SECTIONS


def test_hostile_value_is_escaped_and_never_markup(html: str) -> None:
    page = fx.Page(html)
    tags = [tag for tag, _ in page.tags]

    assert str(escape(fx.HOSTILE)) in html
    assert fx.HOSTILE not in html
    # The one script is the report's own sorting code, after every table.
    assert tags.count("script") == 1
    assert "table" not in tags[tags.index("script") :]
    assert not [a for _, a in page.tags if any(k.startswith("on") for k in a)]
    assert fx.HOSTILE in [row[1] for row in page.tables[fx.HOSTILE_QUERY][1:]]


def test_html_is_self_contained(html: str) -> None:
    page = fx.Page(html)
    links = [a.get("href") or "" for tag, a in page.tags if tag == "a"]

    assert not {"link", "img", "iframe", "object"} & {t for t, _ in page.tags}
    assert not [a for _, a in page.tags if "src" in a]
    assert all(href.startswith("#") for href in links)
    assert "url(" not in html and "http" not in html.split("<script>")[1]
    # Daily events, failed logins (also in the login-anomaly section), findings by
    # severity; no history, so no trend chart.
    assert len([t for t, _ in page.tags if t == "svg"]) == 4


def test_html_tables_have_headers_and_captions(html: str) -> None:
    page = fx.Page(html)
    tags = [tag for tag, _ in page.tags]
    evidence = [a for tag, a in page.tags if tag == "table" and a.get("data-query")]

    assert tags.count("caption") >= len(evidence) > 0
    assert all(a.get("scope") in {"col", "row"} for tag, a in page.tags if tag == "th")
    assert html.count("<figcaption") == 4


def test_counts_render_as_integers_and_missing_as_dash(html: str) -> None:
    table = fx.Page(html).tables[fx.HOSTILE_QUERY]
    header, first, second = table[0], table[1], table[2]
    frame = fx.hostile_frame()

    for column in ("failed_count", "days_inactive"):
        assert first[header.index(column)] == str(int(frame[column].iloc[0]))
        assert second[header.index(column)] == EM_DASH
    assert not any(re.fullmatch(r"\d+\.0", value) for row in table for value in row)


def test_timestamps_read_in_utc(html: str) -> None:
    table = fx.Page(html).tables[fx.HOSTILE_QUERY]
    first_login = fx.hostile_frame()["last_login_at"].iloc[0]

    assert table[1][2] == first_login.strftime("%Y-%m-%d %H:%M:%S UTC")
    assert utc(fx.START) in html and utc(fx.END) in html


def test_empty_result_keeps_its_headers(html: str) -> None:
    table = fx.Page(html).tables[fx.EMPTY_QUERY]

    assert table[0] == [str(c) for c in fx.empty_frame().columns]
    assert table[1] == ["No rows for this period"]


def test_chart_has_one_bar_per_day_of_the_period(html: str) -> None:
    days = (fx.END - fx.START).days
    daily = [s for s in html.split("<svg")[1:] if "Audit-log events per day" in s][0]
    frame = fx.daily_frame()
    types = frame["event_type"].nunique()

    assert daily.count("<g><title>") == days
    # One rectangle per day and type with events, one legend key per type.
    stacked = frame.groupby(["day", "event_type"]).ngroups
    assert daily.count("<rect") == stacked + types
    assert "2026-11-15: 40" in daily


def test_pdf_caps_rows_and_says_so(result: AuditResult, pdf_pages: list[str]) -> None:
    text = "\n".join(pdf_pages)
    shown = min(PDF_CAP, fx.LONG_ROWS)

    assert f"{shown} of {fx.LONG_ROWS} rows shown" in text
    assert f"evidence/{fx.LONG_QUERY}.csv" in text
    assert f"ROW-{shown:03d}" in text and f"ROW-{shown + 1:03d}" not in text
    assert fx.CYRILLIC in text


def test_every_page_footer_counts_all_pages(pdf_pages: list[str]) -> None:
    total = len(pdf_pages)

    for number, text in enumerate(pdf_pages, start=1):
        assert f"Page {number} of {total}" in text


def test_table_header_repeats_on_every_page_with_rows(result: AuditResult) -> None:
    pdf = render_pdf(result, row_cap=fx.LONG_ROWS, options=CLEAR)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    with_rows = [text for text in pages if re.search(r"ROW-\d{3}", text)]
    header = [str(c) for c in fx.long_frame().columns]

    assert len(with_rows) > 2
    for text in with_rows:
        assert all(name in text for name in header)


def test_write_report_writes_reports_and_full_csv(
    result: AuditResult, tmp_path: Path
) -> None:
    written = write_report(result, tmp_path, CLEAR)
    expected = {"html", "pdf", "json", "manifest"}
    expected |= {f"csv:{name}" for name in result.evidence}

    assert set(written) == expected
    assert all(path.is_file() for path in written.values())
    assert written["pdf"].read_bytes().startswith(b"%PDF")
    assert _report_files(tmp_path) == sorted(
        [
            "report.html",
            "report.pdf",
            "manifest.json",
            "results.json",
            *(f"{name}.csv" for name in result.evidence),
        ]
    )

    with written[f"csv:{fx.LONG_QUERY}"].open(
        encoding="utf-8-sig", newline=""
    ) as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == fx.LONG_ROWS + 1
    assert rows[0] == [str(c) for c in fx.long_frame().columns]

    with written[f"csv:{fx.EMPTY_QUERY}"].open(
        encoding="utf-8-sig", newline=""
    ) as handle:
        assert list(csv.reader(handle)) == [[str(c) for c in fx.empty_frame().columns]]


def test_csv_formula_cells_are_neutralised(tmp_path: Path) -> None:
    path = tmp_path / "hostile.csv"
    frame = fx.hostile_frame()
    csv_export.write_csv(frame, path, chunk_rows=3)

    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))

    assert len(rows) == len(frame)
    by_id = {int(row["user_id"]): row["username"] for row in rows}
    for user_id, name in zip(frame["user_id"], frame["username"], strict=True):
        expected = "'" + name if name in fx.FORMULAS else name
        assert by_id[int(user_id)] == expected
    assert by_id[1] == fx.HOSTILE and rows[0]["days_inactive"] == "3"


def test_missing_variable_raises_and_writes_nothing(
    result: AuditResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = context.build_context

    def without_tables(
        result: AuditResult, row_cap: int, shown: context.Presentation | None = None
    ) -> dict[str, object]:
        variables = original(result, row_cap, shown)
        del variables["tables"]
        return variables

    monkeypatch.setattr(context, "build_context", without_tables)

    with pytest.raises(RenderError) as raised:
        write_report(result, tmp_path / "out", CLEAR)

    chain = [raised.value.__cause__, raised.value.__cause__.__cause__]
    assert any(isinstance(error, UndefinedError) for error in chain)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("stage", ["pdf", "csv"])
def test_failure_midway_leaves_earlier_files_untouched(
    result: AuditResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    (tmp_path / "report.html").write_text("last month")
    calls: list[Path] = []
    real_write = csv_export.write_csv

    def fail(*args: object, **kwargs: object) -> bytes:
        raise OSError("disk full")

    def fail_second(frame: pd.DataFrame, path: Path, **kwargs: int) -> int:
        calls.append(path)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_write(frame, path, **kwargs)

    if stage == "pdf":
        monkeypatch.setattr(render, "pdf_for", fail)
    else:
        monkeypatch.setattr(csv_export, "write_csv", fail_second)

    with pytest.raises(RenderError, match="disk full"):
        write_report(result, tmp_path, CLEAR)

    assert _report_files(tmp_path) == ["report.html"]
    assert (tmp_path / "report.html").read_text() == "last month"


def test_pdf_engine_fetches_nothing_but_data_urls() -> None:
    fetcher = render.pdf_engine().DataOnlyFetcher()

    for url in (
        "file:///etc/passwd",
        "http://example.invalid/x.png",
        "FILE:/etc/hosts",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"


def test_unknown_format_is_refused(result: AuditResult, tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="docx"):
        write_report(result, tmp_path, CLEAR, formats=("html", "docx"))

    assert not any(tmp_path.iterdir())


def test_value_formatting() -> None:
    assert cell(3.0) == "3" and cell(2.5) == "2.5" and cell(None) == EM_DASH
    assert score(66.67) == "66.6 %" and score(None) == "not assessed"
    assert cell("x" * 500).endswith("[100 more characters in the CSV]")


def test_html_only_writes_no_pdf(result: AuditResult, tmp_path: Path) -> None:
    written = write_report(result, tmp_path, CLEAR, formats=("html",), html_row_cap=5)

    assert "pdf" not in written and not (tmp_path / "report.pdf").exists()
    assert f"5 of {fx.LONG_ROWS} rows shown" in written["html"].read_text(
        encoding="utf-8"
    )
