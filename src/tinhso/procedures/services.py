"""Writes on dossiers: every action checks who may do it and whether the dossier's status
allows it (``procedures.workflow``), runs in one transaction with the dossier row locked,
records its public event and its audit event, updates the statistics aggregate, and queues the
applicant's notification for after the commit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhso.accounts.models import Role, UserKind
from tinhso.accounts.permissions import may, register_action
from tinhso.audit.services import audit_record
from tinhso.core.uploads import UPLOAD_TYPES, check_upload
from tinhso.core.workdays import WorkCalendar
from tinhso.procedures import audit_events, codes, formschema, stats, workflow
from tinhso.procedures.models import (
    ApologyLetter,
    Channel,
    Complaint,
    Dossier,
    DossierEvent,
    DossierFile,
    FileKind,
    Procedure,
    Rating,
)
from tinhso.procedures.notifications import notify
from tinhso.procedures.statistics import publish_after_commit
from tinhso.procedures.timelimits import due_at
from tinhso.units.models import Unit

register_action("dossiers.receive", {Role.OFFICER},
                gettext_lazy("receive dossiers at the one-stop desk"))
register_action("dossiers.process", {Role.OFFICER, Role.APPROVER},
                gettext_lazy("process dossiers"))
register_action("dossiers.decide", {Role.OFFICER, Role.APPROVER},
                gettext_lazy("approve or refuse dossiers"))
register_action("dossiers.view", {Role.OFFICER, Role.APPROVER, Role.COORDINATOR, Role.LEADER},
                gettext_lazy("see dossiers"))

ACTION_LABELS = {
    "submit": gettext_lazy("Submitted online"),
    "receive": gettext_lazy("Received"),
    "assign": gettext_lazy("Assigned"),
    "request_supplement": gettext_lazy("Supplement requested"),
    "answer_supplement": gettext_lazy("Supplement answered"),
    "resume": gettext_lazy("Processing resumed"),
    "approve": gettext_lazy("Approved"),
    "refuse": gettext_lazy("Refused"),
    "return_result": gettext_lazy("Result returned"),
    "withdraw": gettext_lazy("Withdrawn"),
    "apologise": gettext_lazy("Apology letter issued"),
    "rate": gettext_lazy("Rated"),
    "complain": gettext_lazy("Complaint sent"),
}


# --- the calendar ---------------------------------------------------------------------------


def calendar_for(moment: datetime) -> WorkCalendar:
    """The official calendar around ``moment`` (kept by ``core.calendar`` for a minute)."""
    from tinhso.core.calendar import cached_work_calendar

    return cached_work_calendar(moment.year)


# --- helpers --------------------------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return timezone.localtime(now or timezone.now())


def _label(actor: Any) -> str:
    if actor is None:
        return ""
    full = getattr(actor, "get_full_name", lambda: "")()
    return full or getattr(actor, "username", str(actor))


def _store_file(dossier: Dossier, kind: str, upload: UploadedFile, document: str = ""
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
    row.save()
    return row


def _event(dossier: Dossier, action: str, actor: Any, at: datetime, note: str = "",
           actor_label: str | None = None) -> None:
    DossierEvent.objects.create(dossier=dossier, at=at, action=action, status=dossier.status,
                                actor_repr=actor_label or _label(actor), note=note)


def may_act(user: Any, action: str, dossier: Dossier) -> bool:
    """Officers act on dossiers of their unit, or assigned to their unit (or below)."""
    if may(user, action, dossier.unit):
        return True
    return dossier.assigned_unit is not None and may(user, action, dossier.assigned_unit)


def _require_act(user: Any, action: str, dossier: Dossier) -> None:
    if not may_act(user, action, dossier):
        raise PermissionDenied(_("You may not act on dossier %(code)s.") % {"code": dossier.code})


def _require_applicant(user: Any, dossier: Dossier) -> None:
    if (user is None or not getattr(user, "is_authenticated", False)
            or dossier.applicant_id is None or dossier.applicant_id != user.pk):
        raise PermissionDenied(_("Only the applicant who submitted dossier %(code)s may do "
                                 "this.") % {"code": dossier.code})


# --- submission and receipt -----------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    name: str
    phone: str
    email: str = ""


def check_submission(*, procedure: Procedure, unit: Unit, applicant: Applicant,
                     form_data: Mapping[str, Any], files: Mapping[str, UploadedFile],
                     require_documents: bool) -> dict[str, Any]:
    """Every problem of a submission at once, by field; returns the cleaned form."""
    errors: dict[str, list[str]] = {}
    if not applicant.name.strip():
        errors["applicant_name"] = [_("Give the applicant's name.")]
    phone = formschema.normalise_phone(applicant.phone)
    if not formschema._PHONE.match(phone):
        errors["applicant_phone"] = [_("Give a Vietnamese phone number (10 digits, starting "
                                       "with 0).")]
    if applicant.email and not formschema._EMAIL.match(applicant.email):
        errors["applicant_email"] = [_("Give a valid e-mail address.")]
    if not receives(procedure, unit):
        errors["unit"] = [_("%(unit)s does not receive this procedure.") % {"unit": unit.name}]
    cleaned, problems = formschema.clean(procedure.form_schema or [], dict(form_data))
    for name, (message, params) in problems.items():
        errors[f"form.{name}"] = [_(message) % params if params else _(message)]
    for document in procedure.required_documents or []:
        key = f"doc.{document['code']}"
        upload = files.get(key)
        if upload is None:
            if require_documents and document.get("required", True):
                errors[key] = [_("Attach %(document)s.") % {"document": document["name"]}]
            continue
        try:
            check_upload(upload)
        except ValidationError as exc:
            errors[key] = [str(m) for m in exc.messages]
    unknown = set(files) - {f"doc.{d['code']}" for d in procedure.required_documents or []}
    for key in sorted(unknown):
        errors[key] = [_("This procedure asks for no such document.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def receives(procedure: Procedure, unit: Unit, on: datetime | None = None) -> bool:
    """Whether ``unit`` receives dossiers of ``procedure`` (no query: the same rule as
    :func:`receiving_units`, read from the unit itself)."""
    from django.conf import settings

    day = _now(on).date()
    home = settings.TINHSO_HOME_UNIT
    inside = f"/{home}/" in unit.path and unit.code != home
    valid = (unit.valid_from is None or unit.valid_from <= day) and (
        unit.valid_to is None or day <= unit.valid_to)
    if not (inside and valid):
        return False
    if procedure.receiving_unit_code:
        return unit.code == procedure.receiving_unit_code
    return unit.level == ("commune" if procedure.level == "commune" else "department")


def receiving_units(procedure: Procedure, on: datetime | None = None) -> list[Unit]:
    """The agencies that receive dossiers of ``procedure``: the named department for a
    provincial procedure, every commune of the province for a commune-level one."""
    from django.conf import settings

    home = Unit.objects.filter(code=settings.TINHSO_HOME_UNIT).first()
    if home is None:
        return []
    candidates = Unit.objects.within(home).valid_on(_now(on).date()).order_by("name")
    return [unit for unit in candidates if receives(procedure, unit, on)]


def _create(*, actor: Any, procedure: Procedure, unit: Unit, channel: str,
            applicant: Applicant, form_data: dict[str, Any], files: Mapping[str, UploadedFile],
            now: datetime, digitised: bool, fee_payable: bool, paid_online: bool,
            account: Any, action: str, audit_action: str) -> Dossier:
    calendar = calendar_for(now)
    due = due_at(procedure.time_rule, now, calendar)
    dossier = Dossier(
        procedure=procedure, unit=unit, channel=channel, applicant=account,
        applicant_name=applicant.name.strip(),
        applicant_phone=formschema.normalise_phone(applicant.phone),
        applicant_email=applicant.email.strip(), form_data=form_data, received_at=now,
        due_at=due, digitised=digitised, fee_payable=fee_payable, paid_online=paid_online,
        electronic_result=procedure.result_type == "electronic",
    )
    # The number last: its counter row stays locked until the commit.
    dossier.code = codes.next_code(codes.agency_code(unit), now.date())
    dossier.save()
    for key, upload in files.items():
        _store_file(dossier, FileKind.DOCUMENT, upload, document=key.removeprefix("doc."))
    _event(dossier, action, actor, now)
    audit_record(actor=actor, action=audit_action, obj=dossier, unit=unit,
                 details={"procedure": procedure.code, "channel": channel,
                          "due": due.isoformat(), "files": len(files)})
    stats.apply_change(None, stats.snapshot(dossier))
    publish_after_commit(dossier)
    notify(dossier=dossier, subject=_("Dossier %(code)s received") % {"code": dossier.code},
           body=_("Your dossier %(code)s (%(procedure)s) was received on %(received)s; the "
                  "result is due on %(due)s. Look it up with its code and your phone number.")
           % {"code": dossier.code, "procedure": procedure.name,
              "received": f"{now:%H:%M %d/%m/%Y}", "due": f"{due:%H:%M %d/%m/%Y}"})
    return dossier


@transaction.atomic
def dossier_submit(*, account: Any, procedure: Procedure, unit: Unit, applicant: Applicant,
                   form_data: Mapping[str, Any], files: Mapping[str, UploadedFile],
                   pay_online: bool = False, now: datetime | None = None) -> Dossier:
    """A citizen or business submits online; the dossier is received at once (the system's
    receipt), with its code and due date."""
    if (account is None or not account.is_authenticated
            or account.kind not in (UserKind.CITIZEN, UserKind.BUSINESS)):
        raise PermissionDenied(_("Sign in with a citizen or business account to submit."))
    if procedure.online_level == "none":
        raise ValidationError({"procedure": [_("This procedure is not offered online.")]})
    cleaned = check_submission(procedure=procedure, unit=unit, applicant=applicant,
                               form_data=form_data, files=files, require_documents=True)
    fee_payable = procedure.fee_payable
    return _create(actor=account, procedure=procedure, unit=unit, channel=Channel.ONLINE,
                   applicant=applicant, form_data=cleaned, files=files, now=_now(now),
                   digitised=True, fee_payable=fee_payable,
                   paid_online=fee_payable and pay_online, account=account,
                   action="submit", audit_action=audit_events.DOSSIER_SUBMITTED)


@transaction.atomic
def dossier_receive(*, actor: Any, procedure: Procedure, unit: Unit, channel: str,
                    applicant: Applicant, form_data: Mapping[str, Any],
                    files: Mapping[str, UploadedFile] | None = None, digitised: bool = False,
                    now: datetime | None = None) -> Dossier:
    """The one-stop desk receives a dossier brought in person or by post (its documents
    scanned now or later: ``digitised`` says whether they were)."""
    if not may(actor, "dossiers.receive", unit):
        raise PermissionDenied(_("You may not receive dossiers for %(unit)s.")
                               % {"unit": unit.name})
    if channel not in (Channel.IN_PERSON, Channel.POSTAL):
        raise ValidationError({"channel": [_("The desk receives in-person and postal "
                                             "dossiers; online ones arrive by themselves.")]})
    files = files or {}
    cleaned = check_submission(procedure=procedure, unit=unit, applicant=applicant,
                               form_data=form_data, files=files, require_documents=False)
    return _create(actor=actor, procedure=procedure, unit=unit, channel=channel,
                   applicant=applicant, form_data=cleaned, files=files, now=_now(now),
                   digitised=digitised or bool(files), fee_payable=procedure.fee_payable,
                   paid_online=False, account=None, action="receive",
                   audit_action=audit_events.DOSSIER_RECEIVED)


# --- the workflow ---------------------------------------------------------------------------


def _transition(*, actor: Any, dossier: Dossier, action: str, audit_action: str,
                permission: str | None, now: datetime | None, note: str = "",
                change: Callable[[Dossier, datetime], None] | None = None,
                details: dict[str, Any] | None = None, actor_label: str | None = None
                ) -> Dossier:
    """Lock, check, change, record: the common shape of every dossier action."""
    locked = Dossier.objects.select_for_update().select_related("procedure", "unit").get(
        pk=dossier.pk)
    if permission is not None:
        _require_act(actor, permission, locked)
    at = _now(now)
    try:
        new_status = workflow.next_status(action, locked.status)
    except workflow.TransitionError as exc:
        raise ValidationError({"status": [
            _("%(action)s is not possible: dossier %(code)s is %(status)s.")
            % {"action": ACTION_LABELS[action], "code": locked.code,
               "status": locked.get_status_display()}]}) from exc
    rating = Rating.objects.filter(dossier=locked).first()
    before = stats.snapshot(locked, rating)
    locked.status = new_status
    if change is not None:
        change(locked, at)
    locked.save()
    _event(locked, action, actor, at, note, actor_label)
    audit_record(actor=actor, action=audit_action, obj=locked, unit=locked.unit,
                 details={"status": new_status, **({"note": note} if note else {}),
                          **(details or {})}, actor_label=actor_label)
    stats.apply_change(before, stats.snapshot(locked, rating))
    publish_after_commit(locked)
    dossier.__dict__.update({k: v for k, v in locked.__dict__.items()
                             if not k.startswith("_")})
    return locked


@transaction.atomic
def dossier_assign(*, actor: Any, dossier: Dossier, unit: Unit, officer: Any = None,
                   note: str = "", now: datetime | None = None) -> Dossier:
    if officer is not None and not may(officer, "dossiers.process", unit):
        raise ValidationError({"officer": [_("%(officer)s does not process dossiers at "
                                             "%(unit)s.") % {"officer": _label(officer),
                                                             "unit": unit.name}]})
    if not may(actor, "dossiers.process", dossier.unit):
        _require_act(actor, "dossiers.process", dossier)

    def change(d: Dossier, at: datetime) -> None:
        d.assigned_unit = unit
        d.assigned_to = officer

    return _transition(actor=actor, dossier=dossier, action="assign", now=now, note=note,
                       audit_action=audit_events.DOSSIER_ASSIGNED, permission="dossiers.process",
                       change=change, details={"unit": unit.code,
                                               "officer": getattr(officer, "username", None)})


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: [_("Give the reason.")]})
    return reason


@transaction.atomic
def dossier_request_supplement(*, actor: Any, dossier: Dossier, reason: str,
                               now: datetime | None = None) -> Dossier:
    """Ask the applicant for more; the clock stops with the working time left kept."""
    reason = _reason(reason)

    def change(d: Dossier, at: datetime) -> None:
        calendar = calendar_for(at)
        if at <= d.due_at:
            left = calendar.working_time_between(at, d.due_at)
        else:
            left = -calendar.working_time_between(d.due_at, at)
        d.paused_at = at
        d.remaining_seconds = int(left.total_seconds())
        d.supplement_count += 1

    done = _transition(actor=actor, dossier=dossier, action="request_supplement", now=now,
                       note=reason, audit_action=audit_events.DOSSIER_SUPPLEMENT_REQUESTED,
                       permission="dossiers.process", change=change)
    notify(dossier=done, subject=_("Dossier %(code)s: please supplement") % {"code": done.code},
           body=_("The agency asks you to supplement dossier %(code)s: %(reason)s")
           % {"code": done.code, "reason": reason})
    return done


def _restart_clock(d: Dossier, at: datetime) -> None:
    left = timedelta(seconds=d.remaining_seconds or 0)
    if left > timedelta(0):
        d.due_at = calendar_for(at).add_working_time(at, left)
    d.paused_at = None
    d.remaining_seconds = None


@transaction.atomic
def dossier_answer_supplement(*, account: Any, dossier: Dossier, note: str,
                              files: Mapping[str, UploadedFile] | None = None,
                              now: datetime | None = None) -> Dossier:
    """The applicant answers (with files); the clock restarts with the time that was left."""
    _require_applicant(account, dossier)
    files = files or {}
    if not note.strip() and not files:
        raise ValidationError({"note": [_("Say what you supplement, or attach a file.")]})
    problems: dict[str, list[str]] = {}
    for key, upload in files.items():
        try:
            check_upload(upload)
        except ValidationError as exc:
            problems[key] = [str(m) for m in exc.messages]
    if problems:
        raise ValidationError(problems)
    done = _transition(actor=account, dossier=dossier, action="answer_supplement", now=now,
                       note=note.strip(), audit_action=audit_events.DOSSIER_SUPPLEMENT_ANSWERED,
                       permission=None, change=_restart_clock)
    for upload in files.values():
        _store_file(done, FileKind.SUPPLEMENT, upload)
    return done


@transaction.atomic
def dossier_resume(*, actor: Any, dossier: Dossier, note: str = "",
                   now: datetime | None = None) -> Dossier:
    """The officer restarts the clock (the applicant answered at the desk, say)."""
    return _transition(actor=actor, dossier=dossier, action="resume", now=now, note=note,
                       audit_action=audit_events.DOSSIER_RESUMED, permission="dossiers.process",
                       change=_restart_clock)


def _finish(d: Dossier, at: datetime) -> None:
    d.finished_at = at
    # On time: finished by the due time, with at most one supplement request (Decision 766).
    d.on_time = at <= d.due_at and d.supplement_count <= 1


def _apologise_if_late(actor: Any, dossier: Dossier, at: datetime) -> None:
    if dossier.on_time is False and not dossier.apologies.exists():
        letter = ApologyLetter.objects.create(
            dossier=dossier, issued_at=at, signed_by=_label(actor) or dossier.unit.name,
            reason=_("The dossier was resolved after its due date (%(due)s).")
            % {"due": f"{timezone.localtime(dossier.due_at):%H:%M %d/%m/%Y}"})
        _event(dossier, "apologise", actor, at, letter.reason)


@transaction.atomic
def dossier_approve(*, actor: Any, dossier: Dossier, note: str = "",
                    now: datetime | None = None) -> Dossier:
    done = _transition(actor=actor, dossier=dossier, action="approve", now=now, note=note,
                       audit_action=audit_events.DOSSIER_APPROVED, permission="dossiers.decide",
                       change=_finish)
    _apologise_if_late(actor, done, done.finished_at or _now(now))
    notify(dossier=done, subject=_("Dossier %(code)s resolved") % {"code": done.code},
           body=_("Dossier %(code)s has been resolved; the result is ready.")
           % {"code": done.code})
    return done


@transaction.atomic
def dossier_refuse(*, actor: Any, dossier: Dossier, reason: str,
                   now: datetime | None = None) -> Dossier:
    reason = _reason(reason)

    def change(d: Dossier, at: datetime) -> None:
        _finish(d, at)
        d.refusal_reason = reason
        d.paused_at = d.remaining_seconds = None

    done = _transition(actor=actor, dossier=dossier, action="refuse", now=now, note=reason,
                       audit_action=audit_events.DOSSIER_REFUSED, permission="dossiers.decide",
                       change=change)
    notify(dossier=done, subject=_("Dossier %(code)s refused") % {"code": done.code},
           body=_("Dossier %(code)s was refused: %(reason)s") % {"code": done.code,
                                                                  "reason": reason})
    return done


@transaction.atomic
def dossier_return_result(*, actor: Any, dossier: Dossier, result: UploadedFile | None = None,
                          now: datetime | None = None) -> Dossier:
    """Hand over the result: an electronic file the applicant downloads, or on paper."""
    if result is not None:
        check_upload(result)

    def change(d: Dossier, at: datetime) -> None:
        d.returned_at = at
        d.electronic_result = result is not None

    done = _transition(actor=actor, dossier=dossier, action="return_result", now=now,
                       audit_action=audit_events.DOSSIER_RESULT_RETURNED,
                       permission="dossiers.process", change=change,
                       details={"electronic": result is not None})
    if result is not None:
        _store_file(done, FileKind.RESULT, result)
    return done


@transaction.atomic
def dossier_withdraw(*, actor: Any, dossier: Dossier, reason: str,
                     now: datetime | None = None) -> Dossier:
    """Record that the applicant withdrew the dossier (asked in writing or at the desk)."""
    reason = _reason(reason)

    def change(d: Dossier, at: datetime) -> None:
        d.withdrawn_at = at
        d.paused_at = d.remaining_seconds = None

    return _transition(actor=actor, dossier=dossier, action="withdraw", now=now, note=reason,
                       audit_action=audit_events.DOSSIER_WITHDRAWN,
                       permission="dossiers.process", change=change)


@transaction.atomic
def dossier_apologise(*, actor: Any, dossier: Dossier, reason: str, new_due_at: datetime,
                      now: datetime | None = None) -> ApologyLetter:
    """The apology letter with a new appointment, for a dossier that is or will be late."""
    reason = _reason(reason)
    at = _now(now)
    if new_due_at <= at:
        raise ValidationError({"new_due_at": [_("The new appointment must be in the future.")]})
    _transition(actor=actor, dossier=dossier, action="apologise", now=at, note=reason,
                audit_action=audit_events.DOSSIER_APOLOGISED, permission="dossiers.process",
                details={"new_due_at": new_due_at.isoformat()})
    letter = ApologyLetter.objects.create(dossier=dossier, issued_at=at, reason=reason,
                                          new_due_at=new_due_at, signed_by=_label(actor))
    notify(dossier=dossier, subject=_("Dossier %(code)s: apology and new appointment")
           % {"code": dossier.code},
           body=_("We apologise: dossier %(code)s will be late (%(reason)s). New appointment: "
                  "%(due)s.") % {"code": dossier.code, "reason": reason,
                                 "due": f"{timezone.localtime(new_due_at):%H:%M %d/%m/%Y}"})
    return letter


# --- the applicant after the result ----------------------------------------------------------


@transaction.atomic
def dossier_rate(*, account: Any, dossier: Dossier, level: int, comment: str = "",
                 now: datetime | None = None) -> Rating:
    _require_applicant(account, dossier)
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.status not in ("approved", "returned", "refused"):
        raise ValidationError({"level": [_("A dossier is rated once it is resolved.")]})
    if Rating.objects.filter(dossier=locked).exists():
        raise ValidationError({"level": [_("This dossier has already been rated.")]})
    if level not in Rating.Level.values:
        raise ValidationError({"level": [_("Choose a level from 1 to 5.")]})
    at = _now(now)
    before = stats.snapshot(locked)
    rating = Rating.objects.create(dossier=locked, level=level, comment=comment.strip(), at=at)
    _event(locked, "rate", account, at, rating.get_level_display())
    audit_record(actor=account, action=audit_events.DOSSIER_RATED, obj=locked, unit=locked.unit,
                 details={"level": level})
    stats.apply_change(before, stats.snapshot(locked, rating))
    publish_after_commit(locked)
    return rating


@transaction.atomic
def dossier_complain(*, account: Any, dossier: Dossier, text: str,
                     now: datetime | None = None) -> Complaint:
    _require_applicant(account, dossier)
    text = _reason(text, "text")
    at = _now(now)
    complaint = Complaint.objects.create(dossier=dossier, text=text, at=at)
    _event(dossier, "complain", account, at)
    audit_record(actor=account, action=audit_events.DOSSIER_COMPLAINED, obj=dossier,
                 unit=dossier.unit, details={"length": len(text)})
    return complaint


def attach_generated(dossier: Dossier, kind: str, name: str, content: bytes) -> DossierFile:
    """Store a file the platform made (a receipt, a letter) with the dossier."""
    row = DossierFile(dossier=dossier, kind=kind, name=name, size=len(content),
                      sha256=hashlib.sha256(content).hexdigest(),
                      content_type="application/pdf")
    row.file.save(name, ContentFile(content), save=False)
    row.save()
    return row
