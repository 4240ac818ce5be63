"""What the applicant's side reads: a dossier by its code and phone, one's own dossiers, their
public history, and the one word for a dossier's time (``rules.lateness``). The catalogue's
reads are in ``catalogue``, the desk's in ``queues``, visibility in ``access``."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, Max, OuterRef, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.throttle import LOOKUP
from tinhso.procedures import access, rules, workflow
from tinhso.procedures.access import available_actions
from tinhso.procedures.formschema import normalise_phone
from tinhso.procedures.models import (
    ApologyLetter,
    Dossier,
    DossierEvent,
    DossierFile,
    DossierStat,
    FileKind,
    Rating,
    fold,
)


def too_many_lookups() -> str:
    """Why an address that gave too many wrong pairs is refused (core.throttle.LOOKUP)."""
    return _("Too many look-ups with a wrong code or phone number from your connection: try "
             "again in %(minutes)s minutes, or ask the one-stop desk.") % {
        "minutes": LOOKUP.minutes}


def _same_phone(raw: str) -> str:
    """A phone number as compared at the lookup: without spaces, dots or dashes, and +84 read
    as the leading 0."""
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


def dossier_file(dossier: Dossier, pk: int) -> DossierFile | None:
    """One of the dossier's files (documents, supplements, results)."""
    return DossierFile.objects.filter(pk=pk, dossier=dossier).first()


def event_label(action: str) -> str:
    """A history event's name, translated."""
    return _(workflow.EVENT_LABELS.get(action, action))


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
    return [HistoryEntry(at=e.at, action=e.action, label=event_label(e.action),
                         status=e.status, status_label=e.get_status_display(), note=e.note)
            for e in DossierEvent.objects.filter(dossier=dossier).order_by("at", "id")]


def lateness(dossier: Dossier, now: datetime | None = None) -> str:
    """'overdue', 'late' or '' (``rules.lateness``: the desk, the pages and the API agree)."""
    return rules.lateness(dossier, dossier.on_time, now or timezone.now())


def is_overdue(dossier: Dossier, now: datetime | None = None) -> bool:
    return rules.is_overdue(dossier, now or timezone.now())


def applicant_page(dossier: Dossier, user: Any) -> dict[str, Any]:
    """What the applicant's page of one dossier shows besides the dossier: its documents by the
    procedure's names, results, apology letters, rating, complaints, the open supplement
    request, and what the applicant may do now (``access.available_actions``)."""
    files = list(dossier.files.all())
    names = {d["code"]: d["name"] for d in dossier.procedure.required_documents or []}
    rating = Rating.objects.filter(dossier=dossier).first()
    request = (dossier.events.filter(action="request_supplement").order_by("-at", "-id").first()
               if dossier.status == workflow.SUPPLEMENT else None)
    return {
        "documents": [{"file": f, "document": names.get(f.document, f.document)}
                      for f in files if f.kind in (FileKind.DOCUMENT, FileKind.SUPPLEMENT)],
        "results": [f for f in files if f.kind == FileKind.RESULT],
        "apologies": list(ApologyLetter.objects.filter(dossier=dossier)),
        "supplement_request": request.note if request else "",
        "rating": rating,
        "may_rate": "rate" in available_actions(user, dossier, rated=rating is not None),
        "complaints": list(dossier.complaints.all()),
    }


def applicant_defaults(account: Any) -> dict[str, str]:
    """What the submission form starts with for this account: its own name, phone and e-mail,
    each completed from its latest dossier where the account has none, and the address given
    then (the form's ``address`` field)."""
    business = getattr(account, "kind", "") == "business"
    name = (account.organisation_name if business else "") or account.get_full_name()
    latest = (Dossier.objects.filter(applicant=account).order_by("-received_at", "-id")
              .only("applicant_name", "applicant_phone", "applicant_email", "form_data")
              .first())
    previous = latest.form_data if latest and isinstance(latest.form_data, dict) else {}
    return {
        "applicant_name": name or (latest.applicant_name if latest else ""),
        "applicant_phone": account.phone or (latest.applicant_phone if latest else ""),
        "applicant_email": account.email or (latest.applicant_email if latest else ""),
        "form.address": str(previous.get("address", "") or ""),
    }


def agencies_matching(units: list[Any], q: str) -> list[Any]:
    """The receiving agencies whose name has every word of ``q``, ignoring diacritics and case
    ('bac nha trang' finds 'Phường Bắc Nha Trang')."""
    words = fold(q).split()
    return [u for u in units if all(w in fold(u.name) for w in words)]


def events_without(records: QuerySet[Any]) -> QuerySet[DossierEvent]:
    """The public events that have no row in ``records`` (a queryset of another app's rows with
    an ``event_id``; an anti-join, so an event committed late is found whatever its id), oldest
    first, with their dossier, its procedure and its agency."""
    return (DossierEvent.objects
            .filter(~Exists(records.filter(event_id=OuterRef("pk"))))
            .select_related("dossier__procedure", "dossier__unit").order_by("id"))


def desk_dossier(user: Any, code: str) -> Dossier | None:
    """The dossier with this code if ``user`` sees it at the desk (``access.DESK``), else None
    (the caller answers 404: a code says nothing about a dossier one may not see)."""
    return access.dossier_for(user, code, access.DESK, related=("procedure", "unit"))


def dossiers_received(year: int, unit_ids: list[int] | None = None) -> dict[int, int]:
    """agency id -> the dossiers it received in ``year`` (the aggregate's count, the
    ``dossiers_received`` indicator's figure), for the agencies with any (or only
    ``unit_ids``)."""
    rows = DossierStat.objects.filter(month__year=year)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    return {row["unit_id"]: int(row["n"] or 0)
            for row in rows.values("unit_id").annotate(n=Sum("received")).order_by()}


def dossiers_changed_at() -> datetime | None:
    """When a dossier last changed (None without dossiers): the statistics read from them."""
    return Dossier.objects.aggregate(at=Max("updated_at"))["at"]
