"""GDPR evidence tables: the processing register, data subjects, uses of their data,
request outcomes and automated decisions. One use is planted: marketing to a person
after they withdrew consent (:data:`~nexus_audit.demo._stories.STORIES`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..period import Period
from ._calendar import days, moment
from ._clock import DAY, HOUR, MINUTE, NULL_TIME, between, stream, us
from ._frames import micros, timestamps, where
from ._people import People
from ._stories import STORIES

ACTIVITIES = (
    ("Card payments", "billing", "contract", False),
    ("Customer accounts", "account", "contract", False),
    ("Identity checks", "kyc", "legal_obligation", False),
    ("Fraud scoring", "fraud_scoring", "legitimate_interests", True),
    ("Newsletters", "marketing", "consent", False),
    ("Product analytics", "analytics", "consent", False),
    ("Personalised offers", "personalisation", "consent", False),
    ("Partner offers", "third_party_sharing", "consent", False),
    ("Research panel", "research", "consent", False),
)
"""Name, purpose, legal basis and whether the activity is high-risk (Art. 35)."""


def processing_activities(period: Period) -> pd.DataFrame:
    """The record of processing activities, complete for every activity."""
    started = timestamps(np.full(len(ACTIVITIES), moment(period, -30, 1, 0.0)))

    return pd.DataFrame(
        {
            "activity_id": np.arange(1, len(ACTIVITIES) + 1),
            "name": [a[0] for a in ACTIVITIES],
            "purpose": [a[1] for a in ACTIVITIES],
            "legal_basis": [a[2] for a in ACTIVITIES],
            "controller_contact": "Example Payments Ltd, dpo@example.test",
            "subject_categories": "customers, staff",
            "data_categories": "contact, payment, identity",
            "recipients": "acquirers, card schemes, auditors",
            "third_country_transfers": "none",
            "erasure_time_limit": "see the retention schedule",
            "security_measures": "encryption, tokenisation, access control, logging",
            "is_high_risk": [a[3] for a in ACTIVITIES],
            "started_at": started,
        }
    )


def dpias(period: Period) -> pd.DataFrame:
    """The impact assessment of fraud scoring, done before it started."""
    activity = [a[1] for a in ACTIVITIES].index("fraud_scoring") + 1
    done = moment(period, -31, 10)

    return pd.DataFrame(
        {
            "dpia_id": [1],
            "activity_id": [activity],
            "completed_at": timestamps(np.array([done])),
            "reviewed_at": timestamps(np.array([moment(period, -6, 10)])),
            "residual_high_risk": [False],
            "consulted_at": timestamps(np.array([NULL_TIME])),
            "dpo_advice_at": timestamps(np.array([done - 7 * DAY])),
        }
    )


def privacy_defaults(period: Period) -> pd.DataFrame:
    """Privacy-relevant settings, all defaulting to their protective value."""
    settings = [
        ("marketing_emails", "off", "off"),
        ("profile_visibility", "private", "private"),
        ("analytics_tracking", "off", "off"),
    ]

    return pd.DataFrame(
        {
            "setting_id": np.arange(1, len(settings) + 1),
            "setting": [s[0] for s in settings],
            "default_value": [s[1] for s in settings],
            "protective_value": [s[2] for s in settings],
            "changed_at": timestamps(np.full(len(settings), moment(period, -24))),
        }
    )


def data_subjects(people: People, seed: int) -> pd.DataFrame:
    """Every person's date of birth: all adults, none restricted or objecting."""
    rng = stream(seed, "subjects")
    count = people.service.size
    born = np.datetime64("1950-01-01") + rng.integers(0, 50 * 365, count)

    return pd.DataFrame(
        {
            "subject_id": np.arange(1, count + 1),
            "birth_date": pd.Series(born.astype("datetime64[D]")).dt.date,
            "parental_consent_at": timestamps(np.full(count, NULL_TIME)),
            "restricted_at": timestamps(np.full(count, NULL_TIME)),
            "restriction_lifted_at": timestamps(np.full(count, NULL_TIME)),
            "marketing_objection_at": timestamps(np.full(count, NULL_TIME)),
        }
    )


def dsr_outcomes(requests: pd.DataFrame) -> pd.DataFrame:
    """Every completed request fulfilled, identity verified first, recipients told."""
    done = requests[requests["completed_at"].notna()]
    received, completed = micros(done["received_at"]), micros(done["completed_at"])
    kind = done["request_type"].to_numpy()
    told = np.isin(kind, ["rectify", "erase", "restrict"])

    return pd.DataFrame(
        {
            "request_id": done["request_id"].to_numpy(),
            "outcome": "fulfilled",
            "fee_charged": 0.0,
            "identity_verified_at": timestamps(np.minimum(received + HOUR, completed)),
            "delivery_format": where(kind == "portability", "json"),
            "recipients_notified_at": timestamps(np.where(told, completed, NULL_TIME)),
            "residual_records": where(kind == "erase", 0).astype("Int64"),
        }
    )


def automated_decisions(period: Period, seed: int) -> pd.DataFrame:
    """Fraud-scoring blocks: solely automated, on contract, human review offered."""
    rng = stream(seed, "decisions")
    starts = np.repeat(days(period, -12), 2)
    when = np.sort(starts + between(rng, np.zeros(starts.size, np.int64), DAY))
    asked = rng.random(when.size) < 0.1
    done = np.where(asked, when + 2 * DAY, NULL_TIME)
    asked &= done < us(period.end)

    return pd.DataFrame(
        {
            "decision_id": np.arange(1, when.size + 1),
            "subject_id": rng.integers(1, 4000, when.size),
            "decided_at": timestamps(when),
            "has_legal_effect": True,
            "is_solely_automated": True,
            "exception_basis": "contract",
            "human_review_offered": True,
            "review_requested_at": timestamps(np.where(asked, when + HOUR, NULL_TIME)),
            "review_done_at": timestamps(np.where(asked, done, NULL_TIME)),
        }
    )


def personal_data_uses(
    period: Period, people: People, consents: pd.DataFrame, seed: int
) -> pd.DataFrame:
    """Uses inside active consents and for billing, plus the planted marketing use."""
    rng = stream(seed, "uses")
    first, end = moment(period, -12, 1, 0.0), us(period.end)
    given, withdrawn = micros(consents["given_at"]), micros(consents["withdrawn_at"])
    until = np.where(withdrawn == NULL_TIME, end, withdrawn)
    lo, hi = np.maximum(given, first), np.minimum(until, end)

    open_ = np.flatnonzero(hi - lo > DAY)
    chosen = rng.choice(open_, min(open_.size, 6000), replace=False)
    when = lo[chosen] + between(
        rng, np.zeros(chosen.size, np.int64), hi[chosen] - lo[chosen] - MINUTE
    )
    subject = consents["subject_id"].to_numpy()[chosen]
    purpose = consents["purpose"].to_numpy()[chosen]

    billing = _billing(rng, people, first, end)
    planted = _after_withdrawal(period, consents)
    frame = pd.DataFrame(
        {
            "subject_id": np.concatenate([subject, billing[0], planted[0]]),
            "purpose": np.concatenate(
                [purpose, np.full(billing[0].size, "billing"), ["marketing"]]
            ),
            "used_at": np.concatenate([when, billing[1], planted[1]]),
        }
    ).sort_values("used_at", kind="stable")
    admins = people.cast.staff + 1

    return pd.DataFrame(
        {
            "use_id": np.arange(1, len(frame) + 1),
            "subject_id": frame["subject_id"].to_numpy(),
            "purpose": frame["purpose"].to_numpy(),
            "used_at": timestamps(frame["used_at"].to_numpy()),
            "actor_id": admins[np.arange(len(frame)) % admins.size],
            "ticket": None,
        }
    )


def _billing(
    rng: np.random.Generator, people: People, first: int, end: int
) -> tuple[np.ndarray, np.ndarray]:
    when = between(rng, np.full(4000, first), end)
    user = rng.integers(0, people.service.size, when.size)
    keep = ~people.service[user] & (people.created[user] < when)

    return user[keep] + 1, when[keep]


def _after_withdrawal(
    period: Period, consents: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """A subject whose only marketing consent was withdrawn before the period."""
    marketing = consents[consents["purpose"] == "marketing"]
    per_subject = marketing.groupby("subject_id")["withdrawn_at"]
    all_withdrawn = per_subject.apply(
        lambda v: v.notna().all() and v.max() < period.start
    )
    subject = int(all_withdrawn[all_withdrawn].index.min())
    when = moment(period, 0, STORIES.withdrawn_marketing_day, 10.0)

    return np.array([subject]), np.array([when])
