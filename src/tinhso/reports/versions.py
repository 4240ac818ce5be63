"""The data version of a report: a short text that changes whenever any figure a report reads
may have changed, kept with each run so a report can be told stale.

It is made of four parts, each read through its app's selectors:

- ``a``: the latest audit event's id (every write through a service records one), leaving out
  the reports' own events (asking for a report changes no figure);
- ``i``: the sum of the indicators' ``values_version`` (grows with any stored value written,
  also by bulk loads that write no event per value);
- ``d``: when a dossier last changed (the dossier statistics are computed from the dossiers);
- ``t``: when a programme task last changed (its progress, dates and status).

Two runs with the same data version read the same figures (the reports' content depends
otherwise only on the period and the day: a running period is read up to that day).
"""

from __future__ import annotations

from datetime import datetime

from tinhso.audit.selectors import latest_event_id
from tinhso.indicators.selectors import values_version
from tinhso.procedures.selectors import dossiers_changed_at
from tinhso.programme.selectors import tasks_changed_at

OWN_EVENTS = "report."


def _stamp(at: datetime | None) -> str:
    return at.strftime("%Y%m%d%H%M%S") if at else "0"


def data_version() -> str:
    """e.g. ``a1234.i56.d20261202071000.t20261201160000`` (see the module's docstring)."""
    return (f"a{latest_event_id(excluding_prefix=OWN_EVENTS)}.i{values_version()}"
            f".d{_stamp(dossiers_changed_at())}.t{_stamp(tasks_changed_at())}")
