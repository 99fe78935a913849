"""How a report is rendered, apart from the result: caps, privacy, sampling, signing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings

FORMATS = ("html", "pdf")


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """Everything the report needs besides the result; ``from_settings`` fills it."""

    formats: tuple[str, ...] = FORMATS
    pdf_row_cap: int = 10
    html_row_cap: int = 500
    classification: str = "Confidential"
    show_personal_data: bool = False
    pseudonym_key: str | None = None
    pseudonym_key_file: Path | None = None
    sample_rows: int = 5
    sample_seed: int | None = None
    signing_key: Path | None = None
    signing_certificate: Path | None = None

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        formats: Sequence[str] | None = None,
        show_personal_data: bool | None = None,
    ) -> ReportOptions:
        """The options a settings file and the command line's flags give."""
        key = settings.pseudonym_key

        return cls(
            formats=tuple(settings.formats if formats is None else formats),
            pdf_row_cap=settings.pdf_evidence_rows,
            html_row_cap=settings.html_evidence_rows,
            classification=settings.classification,
            show_personal_data=(
                settings.show_personal_data
                if show_personal_data is None
                else show_personal_data
            ),
            pseudonym_key=key.get_secret_value() if key else None,
            pseudonym_key_file=settings.pseudonym_key_file,
            sample_rows=settings.sample_rows,
            sample_seed=settings.sample_seed,
            signing_key=settings.signing_key,
            signing_certificate=settings.signing_certificate,
        )
