"""A hand-built AuditResult for the report tests: every status, hostile and odd data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pandas as pd

from nexus_audit.results import (
    AuditResult,
    ControlResult,
    FrameworkScore,
    PeriodInfo,
    QueryRun,
    Status,
)

START = datetime(2026, 11, 1, tzinfo=UTC)
END = datetime(2026, 12, 1, tzinfo=UTC)
HOSTILE = '"><script>alert(1)</script>'
CYRILLIC = "Пётр Иванов"
FORMULAS = ('=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR")
LONG_ROWS = 60
LONG_QUERY = "login_attempts_detail"
EMPTY_QUERY = "incidents_in_period"
HOSTILE_QUERY = "inactive_accounts"
FAILED_QUERY = "privileged_grants"


def _run(name: str, frame: pd.DataFrame | None, state: str = "period") -> QueryRun:
    columns = (
        ()
        if frame is None
        else tuple((str(c), str(t)) for c, t in frame.dtypes.items())
    )
    return QueryRun(
        name=name,
        description=f"Rows for {name}.",
        file=f"{name}.sql",
        tables=("audit_log",),
        state=state,
        parameters={"start": START.isoformat(), "end": END.isoformat()},
        status="ok" if frame is not None else "error",
        row_count=0 if frame is None else len(frame),
        duration_ms=12.5,
        error=None if frame is not None else 'relation "role_grants" does not exist',
        columns=columns,
    )


def hostile_frame() -> pd.DataFrame:
    names = [HOSTILE, CYRILLIC, *FORMULAS]
    count = len(names)
    return pd.DataFrame(
        {
            "user_id": pd.array(range(1, count + 1), dtype="Int64"),
            "username": pd.array(names, dtype="string"),
            "last_login_at": pd.Series(
                [START + timedelta(hours=i) for i in range(count)]
            ),
            "failed_count": pd.array([3.0] + [None] * (count - 1), dtype="Float64"),
            "days_inactive": pd.array([3] + [None] * (count - 1), dtype="Int64"),
            "mfa_enabled": pd.array(
                [True, False] + [None] * (count - 2), dtype="boolean"
            ),
        }
    )


def long_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "attempt_ref": pd.array(
                [f"ROW-{i:03d}" for i in range(1, LONG_ROWS + 1)], dtype="string"
            ),
            "created_at": pd.Series(
                [START + timedelta(minutes=7 * i) for i in range(LONG_ROWS)]
            ),
            "client_ip": pd.array(
                [f"10.0.0.{i}" for i in range(LONG_ROWS)], dtype="string"
            ),
            "success": pd.array(
                [i % 3 == 0 for i in range(LONG_ROWS)], dtype="boolean"
            ),
        }
    )


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "incident_id": pd.array([], dtype="Int64"),
            "severity": pd.array([], dtype="string"),
            "detected_at": pd.Series([], dtype="datetime64[us, UTC]"),
        }
    )


def daily_frame() -> pd.DataFrame:
    days = [date(2026, 11, d) for d in (1, 1, 2, 15)]
    return pd.DataFrame(
        {
            "day": days,
            "event_type": pd.array(
                ["login", "data_access", "login", "login"], dtype="string"
            ),
            "events": pd.array([10, 5, 7, 40], dtype="Int64"),
            "distinct_users": pd.array([2, 1, 2, 9], dtype="Int64"),
        }
    )


def failed_logins_frame() -> pd.DataFrame:
    days = [START + timedelta(days=d) for d in (0, 3, 29)]
    return pd.DataFrame(
        {
            "day": pd.Series(days, dtype="datetime64[us, UTC]"),
            "failed_attempts": pd.array([4, 12, 1], dtype="Int64"),
            "distinct_users": pd.array([2, 3, 1], dtype="Int64"),
            "distinct_ips": pd.array([2, 8, 1], dtype="Int64"),
        }
    )


def evidence() -> dict[str, pd.DataFrame]:
    return {
        HOSTILE_QUERY: hostile_frame(),
        LONG_QUERY: long_frame(),
        EMPTY_QUERY: empty_frame(),
        "daily_audit_summary": daily_frame(),
        "failed_logins_per_day": failed_logins_frame(),
    }


# fmt: off
CONTROLS: tuple[tuple[str, str, Status, dict[str, object]], ...] = (
    ("PCI-8.2.6", "access_control", Status.FAIL, {
        "finding_count": 3, "queries": (HOSTILE_QUERY,),
        "remediation": "Disable inactive accounts."}),
    ("PCI-8.3.4", "access_control", Status.FAIL, {
        "finding_count": LONG_ROWS, "queries": (LONG_QUERY,),
        "remediation": "Lock accounts after 10 failed attempts."}),
    ("PCI-7.2.4", "access_control", Status.ERROR, {"queries": (FAILED_QUERY,)}),
    ("PCI-3.5.1", "encryption", Status.MANUAL, {
        "kind": "manual",
        "evidence_expected": "Key-management procedure and HSM configuration."}),
    ("PCI-10.2.1", "audit_log", Status.PASS, {
        "finding_count": 0,
        "queries": ("daily_audit_summary", "failed_logins_per_day")}),
    ("PCI-12.10.1", "incidents", Status.NO_DATA, {"queries": (EMPTY_QUERY,)}),
    ("GDPR-33", "incidents", Status.FAIL, {
        "finding_count": 1, "remediation": "Notify the authority within 72 hours."}),
    ("GDPR-32", "encryption", Status.MANUAL, {
        "kind": "manual", "evidence_expected": "Encryption-at-rest configuration."}),
    ("GDPR-5.1e", "retention", Status.NOT_APPLICABLE, {}),
)
# fmt: on


def controls() -> tuple[ControlResult, ...]:
    """Every status in two frameworks, keyed by the control id's prefix."""
    return tuple(
        ControlResult.model_validate(
            {
                "control_id": cid,
                "framework": "pci_dss" if cid.startswith("PCI") else "gdpr",
                "requirement": cid.split("-", 1)[1],
                "title": f"Control {cid}",
                "description": f"What {cid} checks.",
                "section": section,
                "severity": "high",
                "kind": "data",
                "status": status,
                "reason": f"Reason for {cid}.",
                **extra,
            }
        )
        for cid, section, status, extra in CONTROLS
    )


def frameworks() -> tuple[FrameworkScore, ...]:
    pci = {"pass": 2, "fail": 1, "error": 1, "manual": 1, "no_data": 1}
    gdpr = {"fail": 1, "manual": 1, "not_applicable": 1}
    return (
        FrameworkScore(
            framework="pci_dss",
            name="PCI DSS",
            version="4.0.1",
            score=66.67,
            counts=pci,
            assessed_weight=9,
            passed_weight=6,
            is_complete=False,
        ),
        FrameworkScore(
            framework="gdpr",
            name="GDPR",
            version="2016/679",
            score=None,
            counts=gdpr,
            assessed_weight=0,
            passed_weight=0,
            is_complete=True,
        ),
    )


def make_result(frames: dict[str, pd.DataFrame] | None = None) -> AuditResult:
    """The fixture result; ``frames`` replaces the evidence (for timing runs)."""
    frames = evidence() if frames is None else frames
    runs = [_run(name, frame) for name, frame in frames.items()]
    runs.append(_run(FAILED_QUERY, None, state="current"))
    return AuditResult(
        organisation=f"Nexus Payments <Ltd> & {CYRILLIC}",
        period=PeriodInfo(start=START, end=END, label="2026-11"),
        generated_at=datetime(2026, 12, 1, 3, 0, 5, tzinfo=UTC),
        library_version="0.1.0",
        database="postgresql (payments)",
        frameworks=frameworks(),
        controls=controls(),
        queries=tuple(runs),
        activity={"audit_events": 62, "login_attempts": LONG_ROWS},
        warnings=("Table consents is empty.",),
        evidence=dict(frames),
    )


VOID = {"meta", "link", "br", "hr", "img", "input", "col", "area", "base", "wbr"}


class Page(HTMLParser):
    """A strict-enough reading of the report: tags must nest, and tables are kept."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[str] = []
        self.tables: dict[str, list[list[str]]] = {}
        self._text: list[str] | None = None
        self._table: str | None = None
        self.feed(html)
        self.close()
        assert not self.stack, f"unclosed tags: {self.stack}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)
        if tag == "table" and dict(attrs).get("data-query"):
            self._table = dict(attrs)["data-query"]
            self.tables[self._table or ""] = []
        if tag == "tr" and self._table:
            self.tables[self._table].append([])
        if tag in {"h2", "td", "th"}:
            self._text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (
            f"</{tag}> closes {self.stack[-3:]}"
        )
        self.stack.pop()
        text = " ".join("".join(self._text or []).split())
        if tag == "h2":
            self.headings.append(text)
        if tag in {"td", "th"} and self._table:
            self.tables[self._table][-1].append(text)
        if tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


# Names in several scripts; Arabic is right to left, the last holds an emoji.
KOREAN = "김민준"
ARABIC = "عمر الفاروق"
GREEK = "Ελένη Παππά"
EMOJI = "lock 🔒 ops"
WORLD_NAMES = (KOREAN, ARABIC, GREEK, CYRILLIC, EMOJI)
MANY_ROWS = 400


def world_frame() -> pd.DataFrame:
    """User names in Korean, Arabic, Greek and Cyrillic script, and one with an emoji."""
    count = len(WORLD_NAMES)
    return pd.DataFrame(
        {
            "user_id": pd.array(range(101, 101 + count), dtype="Int64"),
            "username": pd.array(list(WORLD_NAMES), dtype="string"),
            "days_inactive": pd.array([120 + i for i in range(count)], dtype="Int64"),
        }
    )


def grants_frame(rows: int = MANY_ROWS) -> pd.DataFrame:
    """An access review: every fifth grant lists four roles, one per line."""
    roles = [
        "\n".join(f"role-{i:03d}-{n}" for n in range(4)) if i % 5 == 0 else "viewer"
        for i in range(rows)
    ]
    return pd.DataFrame(
        {
            "grant_ref": pd.array([f"GR-{i:04d}" for i in range(rows)], dtype="string"),
            "roles": pd.array(roles, dtype="string"),
            "granted_by": pd.array(
                [f"manager {i % 7}" for i in range(rows)], dtype="string"
            ),
            "last_used": pd.Series(
                [START + timedelta(hours=i) for i in range(rows)],
                dtype="datetime64[us, UTC]",
            ),
        }
    )
