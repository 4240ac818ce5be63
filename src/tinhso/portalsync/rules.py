"""The synchronisation rules, pure (no Django): when a dossier counts as synchronised with the
national portal (Decision 766, item 1.4), and how long a failed update waits.

Decision 766 scores "the share of dossiers whose state is synchronised in real time". The
sources we hold give no figure for "real time", so the threshold is a setting
(``TINHSO_PORTAL_REAL_TIME_SECONDS``, one hour by default: the worker sends within seconds,
and an hour lets the retries ride out a short outage of the portal). A dossier counts when it
has at least one event and every one of its events was acknowledged by the portal within the
threshold after it happened (an event still waiting, or acknowledged later, and the dossier
does not count). The query form is ``counts.not_in_time_q``, tested against
:func:`in_time`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

# the first retry waits this long, each further one twice as long, up to the cap
RETRY_BASE = timedelta(seconds=30)


def in_time(happened_at: datetime, acknowledged_at: datetime | None,
            threshold: timedelta) -> bool:
    """The event reached the portal (acknowledged) within ``threshold`` after it happened."""
    return acknowledged_at is not None and acknowledged_at - happened_at <= threshold


def dossier_synchronised(events: Iterable[tuple[datetime, datetime | None]],
                         threshold: timedelta) -> bool:
    """A dossier's events, each (happened, acknowledged or None): it has some and each one
    reached the portal in time."""
    seen = False
    for happened_at, acknowledged_at in events:
        if not in_time(happened_at, acknowledged_at, threshold):
            return False
        seen = True
    return seen


def retry_delay(attempts: int, cap: timedelta) -> timedelta:
    """How long an update that failed ``attempts`` times waits before the next attempt: 30 s,
    1 min, 2 min... doubling up to ``cap``."""
    if attempts <= 0:
        return timedelta(0)
    return min(cap, RETRY_BASE * (2 ** min(attempts - 1, 30)))
