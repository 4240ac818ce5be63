"""The dossier API's actions: each decodes its part of the request body and calls its service
(the workflow registry says what the action is and who may take it; the service checks both).
Files come base64-encoded in JSON; a service's field errors are named as the body names them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from tinhso.accounts.selectors import user_by_username
from tinhso.core.api_files import DocumentIn, decode
from tinhso.procedures import services
from tinhso.procedures.dossier_schemas import ActionIn
from tinhso.procedures.models import Dossier
from tinhso.units.selectors import unit_by_code

MISSING: dict[str, Callable[[str], str]] = {
    "procedure": lambda code: _("There is no procedure with code '%(code)s'.") % {"code": code},
    "unit": lambda code: _("There is no unit with code '%(code)s'.") % {"code": code},
    "officer": lambda name: _("There is no user '%(name)s'.") % {"name": name},
}

# Field names of the services' errors -> the request body's names.
_FIELDS = {"applicant_name": "applicant.name", "applicant_phone": "applicant.phone",
           "applicant_email": "applicant.email"}


def _api_field(name: str, renames: dict[str, str] | None = None) -> str:
    if renames and name in renames:
        return renames[name]
    if name.startswith("doc."):
        return "documents." + name.removeprefix("doc.")
    return _FIELDS.get(name, name)


@contextmanager
def body_fields(renames: dict[str, str] | None = None) -> Iterator[None]:
    """Name a service's field errors as the request body names them."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError({_api_field(name, renames): errors
                               for name, errors in exc.error_dict.items()}) from exc


def decode_all(prefix: str, documents: dict[str, DocumentIn], errors: dict[str, list[str]],
               key: str = "{}") -> dict[str, UploadedFile]:
    files = {}
    for code, document in documents.items():
        upload = decode(f"{prefix}.{code}", document, errors)
        if upload is not None:
            files[key.format(code)] = upload
    return files


def _checked(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _reason(p: ActionIn) -> str:
    return p.reason.strip() or p.note.strip()


def _assign(user: Any, dossier: Dossier, p: ActionIn) -> None:
    errors: dict[str, list[str]] = {}
    unit = (unit_by_code(p.unit) if p.unit else dossier.assigned_unit or dossier.unit)
    if unit is None:
        errors["unit"] = [MISSING["unit"](p.unit or "")]
    officer = user_by_username(p.officer) if p.officer else None
    if p.officer and officer is None:
        errors["officer"] = [MISSING["officer"](p.officer)]
    if errors or unit is None:
        raise ValidationError(errors)
    with body_fields():
        services.dossier_assign(actor=user, dossier=dossier, unit=unit, officer=officer,
                                note=p.note.strip())


def _return_result(user: Any, dossier: Dossier, p: ActionIn) -> None:
    errors: dict[str, list[str]] = {}
    result = decode("result", p.result, errors) if p.result else None
    _checked(errors)
    with body_fields({"file": "result"}):
        services.dossier_return_result(actor=user, dossier=dossier, result=result)


def _answer_supplement(user: Any, dossier: Dossier, p: ActionIn) -> None:
    errors: dict[str, list[str]] = {}
    files = decode_all("documents", p.documents, errors)
    _checked(errors)
    with body_fields({code: f"documents.{code}" for code in files}):
        services.dossier_answer_supplement(account=user, dossier=dossier, note=p.note,
                                           files=files)


def _apologise(user: Any, dossier: Dossier, p: ActionIn) -> None:
    if p.new_due_at is None:
        raise ValidationError({"new_due_at": [_("Give the new appointment.")]})
    services.dossier_apologise(actor=user, dossier=dossier, reason=_reason(p),
                               new_due_at=p.new_due_at)


Handler = Callable[[Any, Dossier, ActionIn], Any]

ACTIONS: dict[str, Handler] = {
    "assign": _assign,
    "request_supplement": lambda u, d, p: services.dossier_request_supplement(
        actor=u, dossier=d, reason=_reason(p)),
    "resume": lambda u, d, p: services.dossier_resume(actor=u, dossier=d, note=p.note.strip()),
    "approve": lambda u, d, p: services.dossier_approve(actor=u, dossier=d,
                                                        note=p.note.strip()),
    "refuse": lambda u, d, p: services.dossier_refuse(actor=u, dossier=d, reason=_reason(p)),
    "return_result": _return_result,
    "withdraw": lambda u, d, p: services.dossier_withdraw(actor=u, dossier=d,
                                                          reason=_reason(p)),
    "apologise": _apologise,
    "answer_supplement": _answer_supplement,
    "rate": lambda u, d, p: services.dossier_rate(account=u, dossier=d, level=p.level or 0,
                                                  comment=p.comment),
    "complain": lambda u, d, p: services.dossier_complain(account=u, dossier=d,
                                                          text=p.text or p.note),
}
