"""WeasyPrint behind a fetcher that refuses every URL but ``data:``, writing PDF/A-3a.

Imported lazily by ``render`` so that importing the package stays cheap and
WeasyPrint's import-time warnings are handled in one place.

The archival variant is PDF/A-3a: tagged for accessibility, with the evidence embedded
as associated files (``AFRelationship /Data``). Everything that would vary between two
renders of the same content is fixed: the document and attachment dates come from the
audit's generation time and the file identifier from a hash of the content.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files as package_files
from typing import Any

from weasyprint import HTML, Attachment
from weasyprint.css import ColorProfile
from weasyprint.urls import URLFetcher

logger = logging.getLogger(__name__)

VARIANT = "pdf/a-3a"
OUTPUT_INTENT = "nexus-srgb"


class DataOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """No value in the data can make the PDF engine read a file or the network."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False, timeout=1)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        if not url.lower().startswith("data:"):
            logger.warning("refused to fetch %.80s while rendering the PDF", url)
            raise ValueError(f"fetching is disabled for the report: {url[:80]}")

        return super().fetch(url, headers)


@dataclass(frozen=True, slots=True)
class EmbeddedFile:
    """A file carried inside the PDF; ``name`` is the name a PDF reader offers."""

    name: str
    data: bytes
    description: str


def identifier(html: str, files: Sequence[EmbeddedFile]) -> bytes:
    """The PDF's permanent /ID: a hash of what it shows and carries (PDF/A needs one)."""
    digest = hashlib.sha256(html.encode("utf-8"))
    for item in files:
        digest.update(item.name.encode("utf-8") + b"\0" + item.data)

    return digest.hexdigest()[:32].encode("ascii")


def _attachment(item: EmbeddedFile, when: datetime, fetcher: URLFetcher) -> Any:
    return Attachment(
        string=item.data,
        name=item.name,
        description=item.description,
        created=when,
        modified=when,
        relationship="Data",
        url_fetcher=fetcher,
    )


def _output_intent() -> dict[str, Any]:
    """WeasyPrint's own sRGB profile, read here so its file is closed (PDF/A needs one)."""
    icc = (package_files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
    profile = ColorProfile(
        io.BytesIO(icc), "sRGB2014.icc", "relative-colorimetric", (["r"], ["g"], ["b"])
    )
    return {OUTPUT_INTENT: profile}


def _unique_associated_files(document: Any, pdf: Any) -> None:
    """WeasyPrint 70 lists each attachment twice in the catalogue's /AF; keep one."""
    files = pdf.catalog.get("AF")
    if files:
        unique = list(dict.fromkeys(files))
        files.clear()
        files.extend(unique)


def layout(html: str) -> Any:
    """Lay out ``html`` as a bare PDF (for probing fonts), fetching nothing."""
    return HTML(string=html, url_fetcher=DataOnlyFetcher()).write_pdf()


def html_to_pdf(
    html: str, files: Sequence[EmbeddedFile] = (), *, created: datetime | None = None
) -> Any:
    """Lay out ``html`` as PDF/A-3a with ``files`` attached.

    There is no base URL, so relative references resolve to nothing.
    """
    fetcher = DataOnlyFetcher()
    when = created or datetime(2000, 1, 1)

    return HTML(string=html, url_fetcher=fetcher).write_pdf(
        finisher=_unique_associated_files,
        color_profiles=_output_intent(),
        output_intent=OUTPUT_INTENT,
        pdf_variant=VARIANT,
        pdf_identifier=identifier(html, files),
        attachments=[_attachment(item, when, fetcher) for item in files],
    )
