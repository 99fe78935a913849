"""Evidence tables of access control and authentication (PCI DSS 7 and 8).

Everything here keeps to the rules, so these tables add no finding in the reported
month; earlier months carry the stories of :mod:`_stories` (a late access review, a
weak password policy replaced), so the audit history shows a real trend.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..period import Period
from ._access import ROLE_IDS, ROLES
from ._calendar import days, moment
from ._clock import DAY, HOUR, MINUTE, between, stream
from ._frames import timestamps
from ._people import People
from ._stories import STORIES

PERMISSIONS = {
    "platform-admin": ("cde_access", "audit_read", "view_full_pan"),
    "security-admin": ("audit_read",),
    "dba": ("cde_access", "audit_read", "direct_db_chd"),
    "payments-ops": ("cde_access", "audit_read", "view_full_pan"),
}
"""Permissions of the privileged roles; the other roles carry none of these."""

FUNCTIONS = {
    "platform-operations": [name for name, _ in ROLES],
    "system": [name for name, _ in ROLES],
    "operations": [name for name, privileged in ROLES if not privileged],
    "privacy": [name for name, privileged in ROLES if not privileged],
}


def role_permissions() -> pd.DataFrame:
    """The ``role_permissions`` table."""
    rows = [(ROLE_IDS[role], p) for role, perms in PERMISSIONS.items() for p in perms]

    return pd.DataFrame(
        {
            "permission_id": np.arange(1, len(rows) + 1),
            "role_id": [role for role, _ in rows],
            "permission": [permission for _, permission in rows],
        }
    )


def job_role_templates() -> pd.DataFrame:
    """The ``job_role_templates`` table: which roles each job function may hold."""
    rows = [(f, ROLE_IDS[role]) for f, roles in FUNCTIONS.items() for role in roles]

    return pd.DataFrame(
        {
            "template_id": np.arange(1, len(rows) + 1),
            "job_function": [function for function, _ in rows],
            "role_id": [role for _, role in rows],
        }
    )


def user_profiles(people: People, grants: pd.DataFrame) -> pd.DataFrame:
    """Every account's job function; privileged grantees work in platform operations."""
    privileged = {ROLE_IDS[name] for name, flag in ROLES if flag}
    holders = set(grants.loc[grants["role_id"].isin(privileged), "user_id"].tolist())
    ids = people.frame["user_id"].to_numpy()
    staff = set((people.cast.staff + 1).tolist())
    admins = people.cast.admins + 1

    function = [
        "system"
        if service
        else "platform-operations"
        if user in holders
        else "privacy"
        if user in staff
        else "operations"
        for user, service in zip(ids.tolist(), people.service.tolist(), strict=True)
    ]
    owner = np.where(people.service, admins[ids % admins.size], 0)

    return pd.DataFrame(
        {
            "user_id": ids,
            "job_function": function,
            "account_type": np.where(people.service, "service", "employee"),
            "owner_user_id": pd.arrays.IntegerArray(owner, owner == 0),
        }
    )


def account_requests(people: People, seed: int) -> pd.DataFrame:
    """An approved create request for every account, approved by a security admin."""
    rng = stream(seed, "account-requests")
    created = people.created
    admins = people.cast.admins + 1
    ids = people.frame["user_id"].to_numpy()
    pick = rng.integers(0, admins.size, ids.size)
    approver = np.where(
        admins[pick] == ids, admins[(pick + 1) % admins.size], admins[pick]
    )

    return pd.DataFrame(
        {
            "request_id": np.arange(1, ids.size + 1),
            "user_id": ids,
            "action": "create",
            "requested_at": timestamps(created - DAY),
            "requested_by": admins[rng.integers(0, admins.size, ids.size)],
            "approved_by": approver,
            "approved_at": timestamps(created - HOUR),
        }
    )


def access_reviews(period: Period, people: People) -> pd.DataFrame:
    """Six-monthly reviews of all accounts (one late, see the stories), yearly of services."""
    admin = int(people.cast.admins[0]) + 1
    rows = [
        ("all_accounts", moment(period, offset, day))
        for offset, day in STORIES.access_reviews
    ]
    rows += [("service_accounts", moment(period, offset, 12)) for offset in (-14, -3)]
    done = np.array([when for _, when in rows], dtype=np.int64)

    return pd.DataFrame(
        {
            "review_id": np.arange(1, len(rows) + 1),
            "scope": [scope for scope, _ in rows],
            "started_at": timestamps(done - 14 * DAY),
            "completed_at": timestamps(done),
            "reviewer_id": admin,
            "findings": 4,
            "findings_remediated": 4,
            "signed_off_by": int(people.cast.admins[1]) + 1,
            "signed_off_at": timestamps(done + DAY),
        }
    )


def sessions(period: Period, people: People, seed: int) -> pd.DataFrame:
    """About 20 sessions a day over the history, inside each account's activity window."""
    rng = stream(seed, "sessions")
    starts = days(period, -12)
    count = starts.size * 20
    day = starts[rng.integers(0, starts.size, count)]
    when = day + between(rng, np.full(count, 7 * HOUR), 19 * HOUR)

    user = rng.integers(0, people.service.size, count)
    inside = (people.created[user] < when) & (when < people.active_until[user])
    user, when = user[inside], when[inside]
    order = np.argsort(when, kind="stable")
    user, when = user[order], when[order]

    mfa, service = people.mfa[user], people.service[user]
    external = mfa & (rng.random(user.size) < 0.15)
    length = between(rng, np.full(user.size, 5 * MINUTE), 3 * HOUR)

    return pd.DataFrame(
        {
            "session_id": np.arange(1, user.size + 1),
            "user_id": user + 1,
            "started_at": timestamps(when),
            "ended_at": timestamps(when + length),
            "channel": np.where(service, "api", np.where(external, "vpn", "web")),
            "is_external": external,
            "is_interactive": ~service,
            "auth_factors": np.where(mfa, 2, 1),
            "longest_idle_minutes": np.round(rng.uniform(0.5, 14.5, user.size), 1),
            "idle_timeout_minutes": 15,
        }
    )


def credentials(people: People) -> pd.DataFrame:
    """One stored credential per account, adaptive and salted, set when users say."""
    frame = people.frame

    return pd.DataFrame(
        {
            "credential_id": frame["user_id"].to_numpy(),
            "user_id": frame["user_id"].to_numpy(),
            "hash_algorithm": np.where(people.service, "bcrypt", "argon2id"),
            "is_salted": True,
            "set_at": frame["password_changed_at"],
            "is_temporary": False,
            "must_change": False,
        }
    )


def factor_changes(period: Period, people: People, seed: int) -> pd.DataFrame:
    """Password resets and MFA enrolments, each after an identity check."""
    rng = stream(seed, "factor-changes")
    starts = days(period, -12)
    count = starts.size * 3
    when = starts[rng.integers(0, starts.size, count)] + between(
        rng, np.full(count, 8 * HOUR), 18 * HOUR
    )
    user = rng.integers(0, people.service.size, count)
    keep = ~people.service[user] & (people.created[user] < when)
    user, when = user[keep], np.sort(when[keep])

    return pd.DataFrame(
        {
            "change_id": np.arange(1, user.size + 1),
            "user_id": user + 1,
            "factor": np.where(rng.random(user.size) < 0.7, "password", "mfa"),
            "changed_at": timestamps(when),
            "verified_at": timestamps(
                when - between(rng, np.full(user.size, MINUTE), 30 * MINUTE)
            ),
            "verification": np.where(
                rng.random(user.size) < 0.5, "email_link", "helpdesk_callback"
            ),
        }
    )


def password_policies(period: Period) -> pd.DataFrame:
    """The platform's policy; the 8-character one was replaced (see the stories)."""
    switch = moment(period, STORIES.policy_replaced, 1, 0.0)
    since = moment(period, -36, 1, 0.0)

    return pd.DataFrame(
        {
            "policy_id": [1, 2],
            "system": "payments-platform",
            "applies_to": "users",
            "min_length": [8, 12],
            "requires_letters": True,
            "requires_digits": True,
            "history_depth": 4,
            "lockout_attempts": 10,
            "lockout_minutes": 30,
            "idle_timeout_minutes": 15,
            "effective_from": timestamps(np.array([since, switch])),
            "effective_to": timestamps(np.array([switch, np.iinfo(np.int64).min])),
        }
    )
