"""Evidence tables of logging, stored data, keys and incident response (PCI DSS 3, 4,
10, 12; GDPR Art. 32-34): clean, apart from the facts :mod:`_stories` plants.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..period import Period
from ._calendar import days, moment
from ._clock import DAY, HOUR, MINUTE, NULL_TIME, between, stream, us
from ._frames import micros, timestamps, where
from ._people import People
from ._stories import STORIES

CDE_TITLES = (
    "Card tokenisation latency",
    "Misrouted settlement file",
    "Settlement API",
)
ANALYSES = {"7.2.5.1": 365, "8.6.3": 365, "10.4.2.1": 30, "12.10.4.1": 365}


def _frame(key: str, rows: Sequence[Mapping[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame([dict(row) for row in rows])
    frame.insert(0, key, np.arange(1, len(rows) + 1))
    return frame


def log_reviews(period: Period, people: People) -> pd.DataFrame:
    """A daily automated review of security events, and other components every 28 days."""
    reviewer = int(people.cast.admins[2]) + 1
    gap_month, gap_days = STORIES.review_gap
    skipped = {moment(period, gap_month, d, 0.0) for d in gap_days}
    skipped.add(moment(period, 0, STORIES.unreviewed_day, 0.0))
    midnights = [d for d in days(period, -12).tolist() if d not in skipped]
    others = days(period, -12)[::28].tolist()

    rows = [_review(day, "security_events", True, reviewer) for day in midnights]
    rows += [_review(day, "other_components", False, reviewer) for day in others]

    return _frame("review_id", rows)


def _review(day: int, scope: str, automated: bool, reviewer: int) -> dict[str, object]:
    found = (day // DAY) % 3
    return {
        "reviewed_day": pd.Timestamp(day, unit="us").date(),
        "reviewed_at": pd.Timestamp(day + DAY + 8 * HOUR, unit="us", tz="UTC"),
        "reviewer_id": reviewer,
        "scope": scope,
        "is_automated": automated,
        "exceptions_found": found,
        "exceptions_resolved": found,
    }


def control_failures(period: Period) -> pd.DataFrame:
    """The recorded failure of the log review in the story month (not the planted day)."""
    month, gap = STORIES.review_gap
    start, end = (
        moment(period, month, gap[0], 0.0),
        moment(period, month, gap[-1] + 1, 0.0),
    )

    return _frame(
        "failure_id",
        [
            {
                "control": "log_review",
                "started_at": pd.Timestamp(start, unit="us", tz="UTC"),
                "ended_at": pd.Timestamp(end, unit="us", tz="UTC"),
                "cause": "SIEM rule engine stopped after a certificate expired",
                "remediation": "certificate renewed, missed days reviewed by hand",
                "preventive_action": "certificate expiry alert at 30 days",
                "incident_id": 1,
            }
        ],
    )


def risk_analyses(period: Period, people: People) -> pd.DataFrame:
    """The four targeted risk analyses, reviewed yearly (last two months ago)."""
    approver = int(people.cast.admins[1]) + 1
    rows = [
        {
            "requirement": requirement,
            "frequency_days": frequency,
            "reviewed_at": stamp(period, offset, 5),
            "approved_by": approver,
        }
        for offset in (-14, -2)
        for requirement, frequency in ANALYSES.items()
    ]

    return _frame("analysis_id", rows)


FIELDS = (
    ("payments/cards", "pan", "pan", "post_auth", "tokenised", True, 120_000, "billing"),
    ("payments/cards", "track_data", "sad", "post_auth", "none", True, 0, None),
    ("payments/auth-staging", "cvc", "sad", "pre_auth", "encrypted", True, 35, "billing"),
    ("customers/profile", "email", "personal", "at_rest", "none", False, 4800, "account"),
    ("customers/profile", "phone", "personal", "at_rest", "encrypted", True, 3100, "account"),
    ("customers/kyc-documents", "passport", "special_category", "at_rest", "encrypted", True,
     2900, "kyc"),
    ("merchants/settlements", "iban", "personal", "at_rest", "encrypted", True, 800, "billing"),
)  # fmt: skip
"""Fields of the data-discovery scan: store, column, class, stage, protection, required,
filled values, purpose."""


def stamp(period: Period, offset: int, day: int = 1, hour: float = 9.0) -> pd.Timestamp:
    """:func:`moment` as a UTC timestamp."""
    return pd.Timestamp(moment(period, offset, day, hour), unit="us", tz="UTC")


def data_inventory(period: Period) -> pd.DataFrame:
    """The latest data-discovery scan: PAN tokenised, SAD only encrypted pre-auth."""
    scanned = pd.Timestamp(us(period.end) - 2 * DAY, unit="us", tz="UTC")
    names: tuple[str, ...] = (
        "store",
        "column_name",
        "data_class",
        "stage",
        "protection",
    )
    names += ("protection_required", "non_null_rows", "purpose")
    rows = [
        dict(zip(names, field, strict=True)) | {"scanned_at": scanned}
        for field in FIELDS
    ]

    return _frame("item_id", rows)


def retention(period: Period) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The retention schedule and a monthly purge-verification run per category."""
    schedule = [
        ("card-tokens", "account_data", 730, "chargeback and refund window"),
        (
            "closed-customers",
            "personal_data",
            2555,
            "anti-money-laundering record keeping",
        ),
        ("marketing-profiles", "personal_data", 730, "consent-based, two years"),
    ]
    categories = _frame(
        "category_id",
        [dict(zip(("category", "scope", "retention_days", "justification"), row, strict=True))
         for row in schedule],
    )  # fmt: skip

    story = moment(period, STORIES.past_retention, 1, 3.0)
    runs = [
        {
            "category": category,
            "ran_at": stamp(period, offset, 1, 3.0),
            "records_checked": 1000 + 10 * offset,
            "records_past_retention": 120
            if category == "marketing-profiles"
            and moment(period, offset, 1, 3.0) == story
            else 0,
        }
        for offset in range(-13, 1)
        for category, *_ in schedule
    ]

    return categories, _frame("run_id", runs)


def crypto_keys(period: Period) -> pd.DataFrame:
    """The data-encryption key, rotated two months ago within its cryptoperiod."""
    old, rotated = moment(period, -13, 1, 0.0), moment(period, -2, 1, 0.0)

    return pd.DataFrame(
        {
            "key_id": [1, 2],
            "purpose": "token vault",
            "created_at": timestamps(np.array([old, rotated])),
            "cryptoperiod_days": 400,
            "retired_at": timestamps(np.array([rotated, NULL_TIME])),
        }
    )


def transport(period: Period, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The certificate inventory and four PAN transmissions a day over TLS 1.2 or 1.3."""
    rng = stream(seed, "transmissions")
    expiry = pd.Timestamp(us(period.end) + 200 * DAY, unit="us", tz="UTC")
    certificates = _frame(
        "certificate_id",
        [
            {"fingerprint": "3f9a" * 16, "subject": "api.acquirer.example",
             "not_after": expiry, "revoked_at": pd.NaT, "is_trusted": True},
            {"fingerprint": "b71c" * 16, "subject": "gateway.cards.example",
             "not_after": expiry, "revoked_at": pd.NaT, "is_trusted": True},
        ],
    )  # fmt: skip
    starts = np.repeat(days(period, -12), 4)
    when = np.sort(starts + between(rng, np.zeros(starts.size, np.int64), DAY))
    pick = rng.integers(0, 2, when.size)
    sent = pd.DataFrame(
        {
            "transmission_id": np.arange(1, when.size + 1),
            "occurred_at": timestamps(when),
            "endpoint": np.where(pick == 0, "acquirer", "card-gateway"),
            "carries_pan": True,
            "protocol": np.where(rng.random(when.size) < 0.8, "TLSv1.3", "TLSv1.2"),
            "certificate_fingerprint": certificates["fingerprint"].to_numpy()[pick],
        }
    )

    return certificates, sent


def incident_details(incidents: pd.DataFrame) -> pd.DataFrame:
    """Containment, lessons learned and the breach register for every incident."""
    detected, ack = (
        micros(incidents["detected_at"]),
        micros(incidents["acknowledged_at"]),
    )
    resolved = micros(incidents["resolved_at"])
    breach = incidents["is_personal_data_breach"].to_numpy()
    major = incidents["severity"].isin(["SEV-1", "SEV-2"]).to_numpy()
    cde = incidents["title"].str.startswith(CDE_TITLES).to_numpy()
    contained = np.where(
        resolved == NULL_TIME, ack + 30 * MINUTE, ack + (resolved - ack) // 2
    )
    lessons = np.where(major & (resolved != NULL_TIME), resolved + DAY, NULL_TIME)

    return pd.DataFrame(
        {
            "incident_id": incidents["incident_id"].to_numpy(),
            "category": np.where(breach, "breach", "security"),
            "affects_cde": cde,
            "contained_at": timestamps(np.maximum(contained, detected)),
            "lessons_learned_at": timestamps(lessons),
            "risk_level": where(breach, "low"),
            "facts": where(breach, "personal data exposed; see the incident record"),
            "effects": where(
                breach, "customers' contact details readable by outsiders"
            ),
            "remedial_action": where(breach, "access removed, exposure window logged"),
            "notice_complete": where(breach, True),
        }
    )


def on_call_shifts(period: Period, people: People) -> pd.DataFrame:
    """Weekly shifts around the clock, bar six hours in the story month."""
    first = moment(period, -13, 1, 8.0)
    starts = np.arange(first, us(period.end) + 7 * DAY, 7 * DAY, dtype=np.int64)
    ends = starts + 7 * DAY
    hole = moment(period, STORIES.on_call_gap, 8, 8.0)
    cut = (starts < hole) & (hole <= ends)
    ends = np.where(cut, ends - 6 * HOUR, ends)
    admins = people.cast.admins + 1

    return pd.DataFrame(
        {
            "shift_id": np.arange(1, starts.size + 1),
            "person_id": admins[np.arange(starts.size) % admins.size],
            "starts_at": timestamps(starts),
            "ends_at": timestamps(ends),
        }
    )


def security_alerts(period: Period, people: People, seed: int) -> pd.DataFrame:
    """Two high alerts a month from monitoring, each triaged and dismissed."""
    rng = stream(seed, "alerts")
    when = np.sort(days(period, -12)[::15] + between(rng, np.zeros(1, np.int64), DAY))
    sources = np.array(["ids", "change_detection", "payment_page", "network"])

    return pd.DataFrame(
        {
            "alert_id": np.arange(1, when.size + 1),
            "source": sources[rng.integers(0, sources.size, when.size)],
            "severity": "high",
            "raised_at": timestamps(when),
            "incident_id": pd.array([None] * when.size, dtype="Int64"),
            "dismissed_reason": "known scanner or approved change",
            "dismissed_by": int(people.cast.admins[0]) + 1,
        }
    )


def tests(period: Period) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Quarterly restore tests; yearly pen tests and plan exercises; monthly scans."""
    restores = [
        {
            "system": system,
            "tested_at": stamp(period, offset, 5),
            "rto_minutes": 240,
            "restore_minutes": 60 + 20 * (offset % 3),
            "succeeded": True,
        }
        for offset in (-12, -9, -6, -3, 0)
        for system in ("ledger", "payments-db", "kyc-store")
    ]
    runs = [
        ("penetration_test", -8, 10, "external and internal"),
        ("ir_exercise", -15, 15, "tabletop"),
        ("ir_exercise", -4, 15, "tabletop"),
    ]
    runs += [("vulnerability_scan", offset, 2, "all hosts") for offset in range(-13, 1)]
    security = [
        {"kind": kind, "completed_at": stamp(period, offset, day), "scope": scope}
        for kind, offset, day, scope in runs
    ]

    return _frame("test_id", restores), _frame("test_id", security)
