"""Finding keys as the report shows them: their personal parts pseudonymised.

A finding key joins a row's key values with ``|`` (``rules.finding_key``), so it can hold
a user name or an address in clear; it reaches the result's controls, the trend (from
the history store) and the waivers. Each part is replaced by the pseudonym its evidence
column gives it, so a key reads as the evidence rows do. A part this period's evidence
does not hold (a finding resolved since an earlier month) cannot be told apart from
personal data, so it becomes a keyed ``value-…`` pseudonym unless it is a number or a
date: stable across months, never in clear.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from ..pseudonym import LIST_SEPARATOR, Pseudonymiser, column_kind, personal_columns
from ..result_parts import FindingChange
from ..results import AuditResult
from ..rules import finding_key

SEPARATOR = "|"


class KeyPseudonyms:
    """Maps finding keys, and ids ``<control>:<key>``, to their pseudonymised form."""

    def __init__(self, result: AuditResult, pseudonyms: Pseudonymiser) -> None:
        self.pseudonyms = pseudonyms
        self.personal: dict[str, str] = {}
        self.plain: set[str] = set()

        for frame in result.evidence.values():
            if isinstance(frame, pd.DataFrame):
                self._learn(frame)

    def _learn(self, frame: pd.DataFrame) -> None:
        personal = set(personal_columns(frame))

        for position, name in enumerate(frame.columns):
            values = frame.iloc[:, position].dropna().unique()
            if str(name) not in personal:
                self.plain.update(finding_key((value,)) for value in values)
                continue

            kind = column_kind(str(name)) or "value"
            is_list = str(name).lower().endswith("s")
            for value in values:
                items = str(value).split(LIST_SEPARATOR) if is_list else [str(value)]
                for item in items:
                    self.personal[item] = self.pseudonyms.pseudonym(kind, item)

    def key(self, key: str) -> str:
        """The key with every personal (or unknown) part pseudonymised."""
        return SEPARATOR.join(self._part(part) for part in key.split(SEPARATOR))

    def finding_id(self, finding: str) -> str:
        """``<control>:<key>``, its key pseudonymised (control ids hold no colon)."""
        control, colon, key = finding.partition(":")
        return control + colon + self.key(key) if colon else finding

    def _part(self, part: str) -> str:
        if part in self.personal:
            return self.personal[part]
        if part in self.plain or _is_plain(part):
            return part

        return self.pseudonyms.pseudonym("value", part)

    def result(self, result: AuditResult) -> AuditResult:
        """The result with the keys of its controls, trend and waivers pseudonymised."""
        controls = tuple(
            control.model_copy(
                update={"finding_keys": tuple(map(self.key, control.finding_keys))}
            )
            for control in result.controls
        )
        waivers = tuple(
            waiver.model_copy(
                update={"finding": self.key(waiver.finding) if waiver.finding else None}
            )
            for waiver in result.waivers
        )
        update: dict[str, object] = {"controls": controls, "waivers": waivers}

        if result.trend is not None:
            changes = tuple(map(self._change, result.trend.changes))
            update["trend"] = result.trend.model_copy(update={"changes": changes})

        return result.model_copy(update=update)


    def _change(self, change: FindingChange) -> FindingChange:
        return change.model_copy(
            update={"finding_id": self.finding_id(change.finding_id)}
        )


def _is_plain(part: str) -> bool:
    """Empty, a number or an ISO date or time: not personal data."""
    if part == "":
        return True
    try:
        float(part)
        return True
    except ValueError:
        pass
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(part)
            return True
        except ValueError:
            continue

    return False
