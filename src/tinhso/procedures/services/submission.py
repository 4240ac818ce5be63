"""A dossier arrives: submitted online by a citizen's or business's account, or received at the
one-stop desk. Every problem is reported at once, by field; the dossier gets its code and due
time, its files, its public event and audit record, and the applicant's notification."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from tinhso.accounts.models import UserKind
from tinhso.accounts.permissions import may
from tinhso.audit.services import audit_record
from tinhso.core.batch import gathered
from tinhso.core.uploads import check_upload
from tinhso.procedures import aggregate, audit_events, codes, formschema, versions
from tinhso.procedures.catalogue import receives
from tinhso.procedures.models import Channel, Dossier, FileKind, OnlineLevel, Procedure
from tinhso.procedures.notifications import notify
from tinhso.procedures.publication import publish_after_commit
from tinhso.procedures.services.base import calendar_for, now_local, record_event, store_file
from tinhso.procedures.timelimits import due_at
from tinhso.units.models import Unit


@dataclass(frozen=True)
class Applicant:
    name: str
    phone: str
    email: str = ""


def _applicant_errors(applicant: Applicant) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not applicant.name.strip():
        errors["applicant_name"] = [_("Give the applicant's name.")]
    if not formschema.is_phone(applicant.phone):
        errors["applicant_phone"] = [_("Give a Vietnamese phone number (10 digits, starting "
                                       "with 0).")]
    if applicant.email and not formschema.is_email(applicant.email):
        errors["applicant_email"] = [_("Give a valid e-mail address.")]
    return errors


def _document_errors(procedure: Procedure, files: Mapping[str, UploadedFile],
                     require_documents: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
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
    return errors


def check_submission(*, procedure: Procedure, unit: Unit, applicant: Applicant,
                     form_data: Mapping[str, Any], files: Mapping[str, UploadedFile],
                     require_documents: bool) -> dict[str, Any]:
    """Every problem of a submission at once, by field; returns the cleaned form."""
    errors = _applicant_errors(applicant)
    if not receives(procedure, unit):
        errors["unit"] = [_("%(unit)s does not receive this procedure.") % {"unit": unit.name}]
    cleaned, problems = formschema.clean(procedure.form_schema or [], dict(form_data))
    for name, (message, params) in problems.items():
        errors[f"form.{name}"] = [_(message) % params if params else _(message)]
    errors.update(_document_errors(procedure, files, require_documents))
    if errors:
        raise ValidationError(errors)
    return cleaned


@dataclass(frozen=True)
class Arrival:
    """How a dossier arrives (online or at the desk) and what that implies."""

    channel: str
    digitised: bool
    account: Any  # the applicant's account, for online submissions
    event: str  # "submit" or "receive"
    audit_event: str
    reused_data: bool = False  # Decision 766 item 4.3, recorded by the officer
    population_data: bool = False  # item 4.5b


def _create(*, actor: Any, procedure: Procedure, unit: Unit, applicant: Applicant,
            form_data: dict[str, Any], files: Mapping[str, UploadedFile], now: datetime,
            arrival: Arrival) -> Dossier:
    # the time limit in force when the dossier is received: a later change does not move it
    stood = versions.procedure_on(procedure, now.date())
    if stood is None:
        raise ValidationError({"procedure": [_("This procedure is not in force on %(day)s.")
                                             % {"day": f"{now:%d/%m/%Y}"}]})
    due = due_at(stood.time_rule, now, calendar_for(now))
    dossier = Dossier(
        procedure=procedure, unit=unit, channel=arrival.channel, applicant=arrival.account,
        applicant_name=applicant.name.strip(),
        applicant_phone=formschema.normalise_phone(applicant.phone),
        applicant_email=applicant.email.strip(), form_data=form_data, received_at=now,
        due_at=due, digitised=arrival.digitised, fee_payable=procedure.fee_payable,
        reused_data=arrival.reused_data, population_data=arrival.population_data,
        electronic_result=procedure.result_type == "electronic",
    )
    # The number with the dossier, in one statement: its counter row stays locked until the
    # commit.
    codes.insert_numbered(dossier, codes.agency_code(unit), now.date())
    # What the arrival writes besides, in one round trip (core.batch)
    with gathered():
        for key, upload in files.items():
            store_file(dossier, FileKind.DOCUMENT, upload, document=key.removeprefix("doc."))
        record_event(dossier, arrival.event, actor, now)
        audit_record(actor=actor, action=arrival.audit_event, obj=dossier, unit=unit,
                     details={"procedure": procedure.code, "channel": arrival.channel,
                              "due": due.isoformat(), "files": len(files)})
        aggregate.apply_change(None, aggregate.snapshot(dossier))
        publish_after_commit(dossier)
        notify(dossier=dossier, subject=_("Dossier %(code)s received") % {"code": dossier.code},
               body=_("Your dossier %(code)s (%(procedure)s) was received on %(received)s; "
                      "the result is due on %(due)s. Look it up with its code and your phone "
                      "number.")
               % {"code": dossier.code, "procedure": procedure.name,
                  "received": f"{now:%H:%M %d/%m/%Y}", "due": f"{due:%H:%M %d/%m/%Y}"})
    return dossier


@transaction.atomic
def dossier_submit(*, account: Any, procedure: Procedure, unit: Unit, applicant: Applicant,
                   form_data: Mapping[str, Any], files: Mapping[str, UploadedFile],
                   now: datetime | None = None) -> Dossier:
    """A citizen or business submits online; the dossier is received at once (the system's
    receipt), with its code and due date. Its fee is not paid yet: it counts as paid online
    once the payment platform confirms a payment (``tinhso.payments``)."""
    if (account is None or not account.is_authenticated
            or account.kind not in (UserKind.CITIZEN, UserKind.BUSINESS)):
        raise PermissionDenied(_("Sign in with a citizen or business account to submit."))
    if procedure.online_level == OnlineLevel.NONE:
        raise ValidationError({"procedure": [_("This procedure is not offered online.")]})
    cleaned = check_submission(procedure=procedure, unit=unit, applicant=applicant,
                               form_data=form_data, files=files, require_documents=True)
    arrival = Arrival(Channel.ONLINE, digitised=True, account=account,
                      event="submit", audit_event=audit_events.DOSSIER_SUBMITTED)
    return _create(actor=account, procedure=procedure, unit=unit, applicant=applicant,
                   form_data=cleaned, files=files, now=now_local(now), arrival=arrival)


@transaction.atomic
def dossier_receive(*, actor: Any, procedure: Procedure, unit: Unit, channel: str,
                    applicant: Applicant, form_data: Mapping[str, Any],
                    files: Mapping[str, UploadedFile] | None = None, digitised: bool = False,
                    reused_data: bool = False, population_data: bool = False,
                    now: datetime | None = None) -> Dossier:
    """The one-stop desk receives a dossier brought in person or by post (its documents
    scanned now or later: ``digitised`` says whether they were; ``reused_data`` whether the
    officer reused digitised data instead of asking for papers again, ``population_data``
    whether the national population database was used: Decision 766 items 4.3 and 4.5b)."""
    if not may(actor, "dossiers.receive", unit):
        raise PermissionDenied(_("You may not receive dossiers for %(unit)s.")
                               % {"unit": unit.name})
    if channel not in (Channel.IN_PERSON, Channel.POSTAL):
        raise ValidationError({"channel": [_("The desk receives in-person and postal "
                                             "dossiers; online ones arrive by themselves.")]})
    files = files or {}
    cleaned = check_submission(procedure=procedure, unit=unit, applicant=applicant,
                               form_data=form_data, files=files, require_documents=False)
    arrival = Arrival(channel, digitised=digitised or bool(files), account=None,
                      event="receive", audit_event=audit_events.DOSSIER_RECEIVED,
                      reused_data=reused_data, population_data=population_data)
    return _create(actor=actor, procedure=procedure, unit=unit, applicant=applicant,
                   form_data=cleaned, files=files, now=now_local(now), arrival=arrival)
