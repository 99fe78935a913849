"""WeasyPrint behind a fetcher that refuses every URL but ``data:``.

Imported lazily by ``render`` so that importing the package stays cheap and
WeasyPrint's import-time warnings are handled in one place.
"""

from __future__ import annotations

import logging
from typing import Any

from weasyprint import HTML
from weasyprint.urls import URLFetcher

logger = logging.getLogger(__name__)


class DataOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """No value in the data can make the PDF engine read a file or the network."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False, timeout=1)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        if not url.lower().startswith("data:"):
            logger.warning("refused to fetch %.80s while rendering the PDF", url)
            raise ValueError(f"fetching is disabled for the report: {url[:80]}")

        return super().fetch(url, headers)


def html_to_pdf(html: str) -> Any:
    """Lay out ``html`` (no base URL, so relative references resolve to nothing)."""
    return HTML(string=html, url_fetcher=DataOnlyFetcher()).write_pdf()
