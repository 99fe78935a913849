"""The result as the report shows it: personal data pseudonymised unless asked otherwise.

Applied once, before anything is rendered or exported, so the HTML, the PDF, the CSV
files beside it and those inside it all show the same pseudonyms. The AuditResult the
caller holds keeps the data in clear.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..pseudonym import Pseudonymiser, load_key, personal_columns
from ..results import AuditResult
from .finding_keys import KeyPseudonyms
from .options import ReportOptions


@dataclass(frozen=True, slots=True)
class Shown:
    """What the report may show, and the sentence that says how personal data reads."""

    result: AuditResult
    statement: str
    is_pseudonymised: bool
    key_fingerprint: str | None = None


def _personal_columns(result: AuditResult) -> list[str]:
    names = {
        column
        for frame in result.evidence.values()
        if isinstance(frame, pd.DataFrame)
        for column in personal_columns(frame)
    }
    return sorted(names)


def prepare(result: AuditResult, options: ReportOptions) -> Shown:
    """Pseudonymise the evidence's e-mail addresses, IP addresses and user names."""
    if options.show_personal_data:
        return Shown(
            result,
            "Personal data is shown in clear: the report was rendered with "
            "--show-personal-data (setting show_personal_data).",
            False,
        )

    pseudonyms = Pseudonymiser(
        load_key(options.pseudonym_key, options.pseudonym_key_file)
    )
    evidence = {
        name: pseudonyms.frame(frame) if isinstance(frame, pd.DataFrame) else frame
        for name, frame in result.evidence.items()
    }
    columns = ", ".join(_personal_columns(result)) or "none in this audit"
    statement = (
        "E-mail addresses, IP addresses and user names, including names typed in "
        "failed logins, are shown as keyed pseudonyms (HMAC-SHA-256, key "
        f"fingerprint {pseudonyms.fingerprint}); the same key gives the same pseudonym "
        f"every month. Columns pseudonymised: {columns}; the finding keys that name "
        "them too. Rendering with "
        "--show-personal-data shows them in clear."
    )

    keys = KeyPseudonyms(result, pseudonyms)

    return Shown(
        keys.result(result).model_copy(update={"evidence": evidence}),
        statement,
        True,
        pseudonyms.fingerprint,
    )
