from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from tinhso.core.memo import TimedCache
from tinhso.procedures.models import OPEN_STATUSES, Dossier, DossierEvent, Procedure, fold

PROCEDURES: TimedCache[Procedure] = TimedCache("procedures by code").clear_on_change(Procedure)


def procedure_by_code(code: str) -> Procedure | None:
    """The procedure with this code, or None; kept a short while per process (core.memo), as
    every submission asks it."""
    return PROCEDURES.get(code, lambda: Procedure.objects.filter(code=code).first())


def procedure_search(*, q: str = "", field: str = "", agency: str = "", online_level: str = ""
                     ) -> QuerySet[Procedure]:
    """Search ignoring diacritics and case: 'giay phep xay dung' finds 'Cấp giấy phép xây
    dựng'; every word must appear."""
    qs = Procedure.objects.all()
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    if field:
        qs = qs.filter(field=field)
    if agency:
        qs = qs.filter(agency=agency)
    if online_level:
        qs = qs.filter(online_level=online_level)
    return qs.order_by("field", "name")


# --- the applicant's side: dossiers by code and phone, one's own, their public history -------


def too_many_lookups() -> str:
    """Why an address that gave too many wrong pairs is refused (core.throttle.LOOKUP)."""
    from django.utils.translation import gettext as _

    from tinhso.core.throttle import LOOKUP

    return _("Too many look-ups with a wrong code or phone number from your connection: try "
             "again in %(minutes)s minutes, or ask the one-stop desk.") % {
        "minutes": LOOKUP.minutes}


def _same_phone(raw: str) -> str:
    """A phone number as compared at the lookup: without spaces, dots or dashes, and +84 read
    as the leading 0."""
    from tinhso.procedures.formschema import normalise_phone

    phone = normalise_phone(raw)
    return "0" + phone[3:] if phone.startswith("+84") else phone


def dossier_lookup(*, code: str, phone: str) -> Dossier | None:
    """The dossier with this code whose applicant gave this phone number; None when either is
    wrong (the caller says so without telling which)."""
    code, wanted = (code or "").strip(), _same_phone(phone)
    if not code or not wanted:
        return None
    dossier = (Dossier.objects.select_related("procedure", "unit")
               .filter(code__iexact=code).first())
    if dossier is None or not hmac.compare_digest(
            _same_phone(dossier.applicant_phone).encode(), wanted.encode()):
        return None
    return dossier


def applicant_dossiers(account: Any) -> QuerySet[Dossier]:
    """The dossiers an applicant account submitted, newest first."""
    return (Dossier.objects.filter(applicant=account).select_related("procedure", "unit")
            .order_by("-received_at", "-id"))


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    action: str
    label: str
    status: str
    status_label: str
    note: str


def dossier_history(dossier: Dossier) -> list[HistoryEntry]:
    """The public history: what happened when, in which status it left the dossier, the note
    (never who acted, the form or the files)."""
    from tinhso.procedures.services import ACTION_LABELS

    return [HistoryEntry(at=e.at, action=e.action, label=str(ACTION_LABELS.get(e.action, e.action)),
                         status=e.status, status_label=e.get_status_display(), note=e.note)
            for e in DossierEvent.objects.filter(dossier=dossier).order_by("at", "id")]


def lateness(dossier: Dossier, now: datetime | None = None) -> str:
    """'overdue' for an open dossier past its due time (while the applicant supplements: if it
    was already past when the clock stopped), 'late' for one resolved after it, else ''."""
    if dossier.status in OPEN_STATUSES:
        if dossier.paused_at is not None:
            return "overdue" if (dossier.remaining_seconds or 0) < 0 else ""
        return "overdue" if dossier.due_at < (now or timezone.now()) else ""
    return "late" if dossier.on_time is False else ""


def sample_procedures() -> int:
    """How many procedures of the catalogue come from the shipped sample (figures computed from
    such a catalogue are illustrative)."""
    from tinhso.procedures.loaders import SAMPLE_SOURCE

    return Procedure.objects.filter(source__startswith=SAMPLE_SOURCE).count()
