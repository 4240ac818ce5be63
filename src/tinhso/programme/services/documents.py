"""Documents (resolutions, plans, decisions) and their task groups."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import require
from tinhso.audit.services import audit_record
from tinhso.core.uploads import check_upload
from tinhso.programme import audit_events
from tinhso.programme.models import (
    Document,
    DocumentKind,
    Supersession,
    TaskGroup,
)
from tinhso.programme.services.base import checked_notation as _notation
from tinhso.programme.services.base import weight_value as _weight
from tinhso.units.models import Unit

# --- documents -----------------------------------------------------------------------------


def _check_document(document: Document) -> None:
    errors: dict[str, list[str]] = {}
    if document.kind not in DocumentKind.values:
        errors["kind"] = [_("Unknown kind of document.")]
    for other, name in ((document.implements, "implements"),
                        (document.supersedes, "supersedes")):
        if other is not None and other.pk is not None and other.pk == document.pk:
            errors[name] = [_("A document cannot refer to itself.")]
        elif other is not None and other.issued_on > document.issued_on:
            errors[name] = [_("%(number)s was issued after this document.")
                            % {"number": other.number}]
    if document.supersedes is not None and document.supersession not in Supersession.values:
        errors["supersession"] = [_("Say whether it amends or replaces %(number)s.")
                                  % {"number": document.supersedes.number}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def document_create(*, actor: Any, number: str, kind: str, title: str, issuer: str,
                    issued_on: date, unit: Unit, title_en: str = "", source: str = "",
                    implements: Document | None = None, supersedes: Document | None = None,
                    supersession: str = "", file: UploadedFile | None = None,
                    is_illustrative: bool = False) -> Document:
    require(actor, "programme.manage", unit)
    number = _notation(number, "number")
    if Document.objects.filter(number=number).exists():
        raise ValidationError({"number": _("A document %(number)s is already recorded.")
                               % {"number": number}})
    document = Document(number=number, kind=kind, title=title.strip(), issuer=issuer.strip(),
                        issued_on=issued_on, unit=unit, title_en=title_en, source=source,
                        implements=implements, supersedes=supersedes,
                        supersession=supersession if supersedes else "",
                        is_illustrative=is_illustrative)
    _check_document(document)
    document.full_clean(exclude=["file"])
    document.save()
    if file is not None:
        name, _suffix = check_upload(file)
        document.file.save(name, file)
    audit_record(actor=actor, action=audit_events.DOCUMENT_CREATED, obj=document, unit=unit,
                 details={"number": number, "kind": kind,
                          "implements": implements.number if implements else None,
                          "supersedes": supersedes.number if supersedes else None})
    return document


DOCUMENT_FIELDS = {"kind", "title", "title_en", "issuer", "issued_on", "source", "implements",
                   "supersedes", "supersession", "is_illustrative"}


@transaction.atomic
def document_update(*, actor: Any, document: Document, **changes: Any) -> Document:
    require(actor, "programme.manage", document.unit)
    unknown = set(changes) - DOCUMENT_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    changed = {k: v for k, v in changes.items() if getattr(document, k) != v}
    if not changed:
        return document
    for key, value in changed.items():
        setattr(document, key, value)
    _check_document(document)
    document.full_clean(exclude=["file"])
    document.save()
    audit_record(actor=actor, action=audit_events.DOCUMENT_UPDATED, obj=document,
                 unit=document.unit, details={k: str(v) for k, v in changed.items()})
    return document



@transaction.atomic
def group_save(*, actor: Any, document: Document, code: str, title: str,
               parent: TaskGroup | None = None, area: str = "", weight: Any = 1,
               position: int = 0, title_en: str = "", is_illustrative: bool = False
               ) -> TaskGroup:
    """Create the group ``code`` of the document, or bring it to these values."""
    require(actor, "programme.manage", document.unit)
    code = code.strip()
    if not code:
        raise ValidationError({"code": _("Give the group's code (1, 1.2...).")})
    if parent is not None and parent.document_id != document.pk:
        raise ValidationError({"parent": _("The parent group belongs to another document.")})
    group = TaskGroup.objects.filter(document=document, code=code).first()
    values = {"title": title.strip(), "parent": parent, "area": area, "weight": _weight(weight),
              "position": position, "title_en": title_en, "is_illustrative": is_illustrative}
    if group is not None:
        ancestor = parent
        while ancestor is not None:
            if ancestor.pk == group.pk:
                raise ValidationError({"parent": _("A group cannot be placed within itself.")})
            ancestor = ancestor.parent
        changed = {k: v for k, v in values.items() if getattr(group, k) != v}
        if not changed:
            return group
        for key, value in changed.items():
            setattr(group, key, value)
    else:
        group = TaskGroup(document=document, code=code, **values)
    group.full_clean()
    group.save()
    audit_record(actor=actor, action=audit_events.TASK_GROUP_SAVED, obj=group,
                 unit=document.unit, details={"document": document.number, "code": code,
                                              "parent": parent.code if parent else None})
    return group


