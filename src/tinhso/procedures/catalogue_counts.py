"""Decision 766, items 1.1 and 1.2, counted from the catalogue's versions: per agency and
year, the procedures announced (versions whose announcing decision is dated in the year) and
those announced on time, the procedures to publish and those published on time (the rules:
``announcement``). Reads only; ``publication.publish_catalogue`` writes them.

A version counts for each agency that receives the procedure's dossiers as the version has it
(``catalogue.receives``, the submission's rule), and once for the province. A version without
its decision's date, or without the legal text's effective date (for 1.1) or its publication
on the platform (for 1.2), is counted by neither: the shipped sample's first versions are such.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from tinhso.core.calendar import cached_work_calendar_span
from tinhso.core.workdays import WorkCalendar
from tinhso.procedures.announcement import announced_on_time, published_on_time
from tinhso.procedures.catalogue import receives
from tinhso.procedures.catalogue_models import ProcedureVersion
from tinhso.procedures.versions import state

if TYPE_CHECKING:
    from tinhso.units.models import Unit

ANNOUNCED = "procedures_announced"
ANNOUNCED_ON_TIME = "procedures_announced_on_time"
DISCLOSED = "procedures_disclosed"
DISCLOSED_ON_TIME = "procedures_disclosed_on_time"
ANNOUNCEMENT_INDICATORS = (ANNOUNCED, ANNOUNCED_ON_TIME, DISCLOSED, DISCLOSED_ON_TIME)


def version_counts(version: ProcedureVersion, calendar: WorkCalendar) -> dict[str, int]:
    """What one version adds to each count (0 or 1)."""
    decided, effective = version.decision_date, version.legal_effective_date
    published = (timezone.localtime(version.published_at).date()
                 if version.published_at else None)
    counts = dict.fromkeys(ANNOUNCEMENT_INDICATORS, 0)
    if decided is not None and effective is not None:
        counts[ANNOUNCED] = 1
        counts[ANNOUNCED_ON_TIME] = int(announced_on_time(decided, effective, calendar))
    if decided is not None and published is not None:
        counts[DISCLOSED] = 1
        counts[DISCLOSED_ON_TIME] = int(published_on_time(decided, published, calendar))
    return counts


def announced_in(year: int) -> QuerySet[ProcedureVersion]:
    """The versions whose announcing decision is dated in ``year``."""
    return (ProcedureVersion.objects.filter(decision_date__year=year)
            .select_related("procedure").order_by("pk"))


def announcement_counts(year: int, agencies: Iterable[Unit], home_id: int,
                        on: datetime) -> dict[int, dict[str, int]]:
    """unit id -> the four counts of ``year``: each agency's (the versions of the procedures
    it receives, as on ``on``) and the province's (each version once). Empty when no version
    has its decision dated in the year (nothing known: not zeros)."""
    found = announced_in(year)
    if not found.exists():
        return {}
    calendar = cached_work_calendar_span(year - 1, year + 1)
    units = list(agencies)
    counts: dict[int, dict[str, int]] = {home_id: dict.fromkeys(ANNOUNCEMENT_INDICATORS, 0)}
    for version in found.iterator(chunk_size=500):  # memory bounded however many
        adds = version_counts(version, calendar)
        stood = state(version.procedure, version)
        for unit_id in [home_id, *(u.pk for u in units if receives(stood, u, on))]:
            figures = counts.setdefault(unit_id, dict.fromkeys(ANNOUNCEMENT_INDICATORS, 0))
            for code, add in adds.items():
                figures[code] += add
    return counts
