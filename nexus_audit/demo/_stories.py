"""What the demo's evidence tables plant: two findings now, and a history to trend.

The reported month (offset 0) gets two more findings beside the nine of
:data:`~nexus_audit.demo.INJECTED`: a day without a log review and without a record of
that failure, and one marketing use of a person's data after they withdrew consent.
Earlier months tell stories that end well, so the twelve-month trend moves: an access
review done late, a password policy of 8 characters replaced by one of 12, records kept
past retention and then purged, three unreviewed days recorded as a control failure,
and a six-hour hole in the on-call roster.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stories:
    """Month offsets (0 = reported month) and days of each planted fact."""

    unreviewed_day: int = 13
    """Day of the reported month (1-based) with no log review (PCI DSS 10.4.1, 10.7.2)."""
    withdrawn_marketing_day: int = 16
    """Day of the reported month of a marketing use after withdrawal (GDPR Art. 7(3))."""
    access_reviews: tuple[tuple[int, int], ...] = ((-14, 15), (-9, 10), (-1, 20))
    """Completed all-account reviews; months -3 and -2 run past six months."""
    policy_replaced: int = -6
    """Month whose first day brought the 12-character policy (months before fail 8.3.6)."""
    past_retention: int = -7
    """Month whose purge run found marketing profiles kept past retention."""
    review_gap: tuple[int, tuple[int, ...]] = (-4, (3, 4, 5))
    """Month and days without log review, recorded as a control failure."""
    on_call_gap: int = -5
    """Month whose second week lacks six hours of on-call cover."""


STORIES = Stories()
