"""What every dossier service shares: the clock and the calendar, who acted, the files kept
with a dossier, its public events, and the checks of who may act."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.batch import save_new
from tinhso.core.calendar import cached_work_calendar
from tinhso.core.uploads import UPLOAD_TYPES, check_upload
from tinhso.core.workdays import WorkCalendar
from tinhso.procedures import access
from tinhso.procedures.models import Dossier, DossierEvent, DossierFile


def calendar_for(moment: datetime) -> WorkCalendar:
    """The official calendar around ``moment`` (kept by ``core.calendar`` for a minute)."""
    return cached_work_calendar(moment.year)


def now_local(now: datetime | None) -> datetime:
    return timezone.localtime(now or timezone.now())


def label(actor: Any) -> str:
    if actor is None:
        return ""
    full = getattr(actor, "get_full_name", lambda: "")()
    return full or getattr(actor, "username", str(actor))


def store_file(dossier: Dossier, kind: str, upload: UploadedFile, document: str = ""
               ) -> DossierFile:
    name, suffix = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    row = DossierFile(dossier=dossier, kind=kind, document=document, name=name,
                      size=upload.size or 0, sha256=digest.hexdigest(),
                      content_type=UPLOAD_TYPES[suffix])
    row.file.save(name, upload, save=False)
    save_new(row)
    return row


def check_uploads(files: dict[str, UploadedFile]) -> None:
    """Every upload's problem at once, under its key."""
    problems: dict[str, list[str]] = {}
    for key, upload in files.items():
        try:
            check_upload(upload)
        except ValidationError as exc:
            problems[key] = [str(m) for m in exc.messages]
    if problems:
        raise ValidationError(problems)


# Told of each public event as it is written, inside the action's transaction (so what they
# write commits or rolls back with it): the national portal's outbox (``portalsync``).
EventListener = Callable[[DossierEvent], None]
EVENT_LISTENERS: list[EventListener] = []


def listen_to_events(listener: EventListener) -> None:
    """Call ``listener(event)`` for each public event written from now on (once however often
    it is registered); the event's ``dossier`` is the one the action changed."""
    if listener not in EVENT_LISTENERS:
        EVENT_LISTENERS.append(listener)


def record_event(dossier: Dossier, action: str, actor: Any, at: datetime, note: str = "",
                 actor_label: str | None = None) -> None:
    event = DossierEvent(dossier=dossier, at=at, action=action, status=dossier.status,
                         actor_repr=actor_label or label(actor), note=note)
    save_new(event)  # at once, or with the action's batch (core.batch)
    for listener in EVENT_LISTENERS:
        listener(event)


def require_act(user: Any, permission: str, dossier: Dossier) -> None:
    if not access.may_act(user, permission, dossier):
        raise PermissionDenied(_("You may not act on dossier %(code)s.") % {"code": dossier.code})


def require_applicant(user: Any, dossier: Dossier) -> None:
    if not access.owns(user, dossier):
        raise PermissionDenied(_("Only the applicant who submitted dossier %(code)s may do "
                                 "this.") % {"code": dossier.code})


def reason_given(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: [_("Give the reason.")]})
    return reason


def lock(dossier: Dossier) -> Dossier:
    """The dossier's row, locked until the transaction ends: only the dossier's (``of``), not
    the joined procedure's and agency's, which every submission at that agency needs a
    key-share lock on when it commits (locking them too deadlocked actions with submissions)."""
    return Dossier.objects.select_for_update(of=("self",)).select_related(
        "procedure", "unit").get(pk=dossier.pk)
