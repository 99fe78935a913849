"""All evidence tables of the catalog for one demo, built from its people and records."""

from __future__ import annotations

import pandas as pd

from ..period import Period
from . import _evidence as access
from . import _operations as ops
from . import _privacy as privacy
from ._people import People


def evidence(
    period: Period, people: People, tables: dict[str, pd.DataFrame], seed: int
) -> dict[str, pd.DataFrame]:
    """The catalog's optional tables, in write order."""
    schedule, purges = ops.retention(period)
    certificates, transmissions = ops.transport(period, seed)
    restores, security = ops.tests(period)

    return {
        "role_permissions": access.role_permissions(),
        "user_profiles": access.user_profiles(people, tables["role_grants"]),
        "job_role_templates": access.job_role_templates(),
        "account_requests": access.account_requests(people, seed),
        "access_reviews": access.access_reviews(period, people),
        "sessions": access.sessions(period, people, seed),
        "credentials": access.credentials(people),
        "factor_changes": access.factor_changes(period, people, seed),
        "password_policies": access.password_policies(period),
        "log_reviews": ops.log_reviews(period, people),
        "control_failures": ops.control_failures(period),
        "risk_analyses": ops.risk_analyses(period, people),
        "data_inventory": ops.data_inventory(period),
        "retention_schedule": schedule,
        "purge_runs": purges,
        "crypto_keys": ops.crypto_keys(period),
        "certificates": certificates,
        "transmissions": transmissions,
        "incident_details": ops.incident_details(tables["security_incidents"]),
        "on_call_shifts": ops.on_call_shifts(period, people),
        "security_alerts": ops.security_alerts(period, people, seed),
        "restore_tests": restores,
        "security_tests": security,
        "processing_activities": privacy.processing_activities(period),
        "dpias": privacy.dpias(period),
        "privacy_defaults": privacy.privacy_defaults(period),
        "data_subjects": privacy.data_subjects(people, seed),
        "dsr_outcomes": privacy.dsr_outcomes(tables["data_subject_requests"]),
        "automated_decisions": privacy.automated_decisions(period, seed),
        "personal_data_uses": privacy.personal_data_uses(
            period, people, tables["consents"], seed
        ),
    }
