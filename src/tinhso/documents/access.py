"""Who sees which document: the query form of ``rules.visible``, tested to agree with it, and
the access log (every opening of a document or one of its files is recorded)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import may, scope_paths
from tinhso.documents import rules
from tinhso.documents.models import Access, Assignment, Document
from tinhso.units.selectors import all_units, unit_ids_within


def reading_scopes(user: Any) -> list[str]:
    """The unit paths where ``user`` holds a role that reads documents (``/``: all)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    paths = scope_paths(user, "documents.view")
    return ["/"] if paths is None else sorted(set(paths))


def reaching_units(document: Document) -> list[Any]:
    """The units a document reaches: its registering unit, its addressees of this
    installation, and the lead and supporting units of its handling slip."""
    units = [document.unit]
    units += [r.unit for r in document.recipients.select_related("unit") if r.unit]
    assignment = Assignment.objects.filter(document=document).select_related(
        "lead_unit").first()
    if assignment is not None:
        units += [assignment.lead_unit, *assignment.support_units.all()]
    return units


def unit_paths(document: Document) -> list[str]:
    """The paths of the units a document reaches."""
    return [unit.path for unit in reaching_units(document)]


def reach_of(document: Document) -> list[int]:
    """What ``Document.reach`` holds for ``document``: its named readers as negative user ids
    when it is confidential (only they see it), else the ids of the units it reaches."""
    if document.confidential:
        return sorted(-pk for pk in document.readers.values_list("pk", flat=True))
    return sorted({unit.pk for unit in reaching_units(document)})


def may_see(user: Any, document: Document) -> bool:
    """``rules.visible`` for one document."""
    named = document.confidential and document.readers.filter(pk=user.pk).exists()
    return rules.visible(scopes=reading_scopes(user), unit_paths=unit_paths(document),
                         confidential=document.confidential, named=bool(named))


def visible_documents(user: Any) -> QuerySet[Document]:
    """The documents ``user`` may see: the query form of ``rules.visible``, asked of
    ``Document.reach`` (kept by ``reach_refresh`` at every step; the access tests check it
    against ``may_see``, which reads the relations).

    One condition, ``reach && ARRAY[the scope's unit ids, -the user's id]``, which the GIN
    index of the search answers together with the words. When every registering unit lies
    within the scope (a role at the province) the open documents are simply the
    non-confidential ones: a condition that does not narrow is better left to the date
    index."""
    named = [-user.pk] if getattr(user, "pk", None) else []
    scopes = reading_scopes(user)
    units = [] if not scopes or scopes == ["/"] else unit_ids_within(scopes)
    if scopes == ["/"] or (units and _every_registering_unit(units)):
        return Document.objects.filter(Q(confidential=False) | Q(reach__overlaps=named))
    return Document.objects.filter(reach__overlaps=[*units, *named])


def _every_registering_unit(units: list[int]) -> bool:
    """No document is registered outside ``units``."""
    outside = all_units().exclude(pk__in=units).values("pk")
    return not Document.objects.filter(unit__in=outside).exists()


def sees_every_unit(user: Any) -> bool:
    """The user's reading scope holds every unit that registers documents (a role at the
    province): they see every document but the confidential ones not naming them."""
    scopes = reading_scopes(user)
    return scopes == ["/"] or (bool(scopes) and _every_registering_unit(unit_ids_within(scopes)))


def document_for(user: Any, pk: int, what: str = "view") -> Document:
    """The document ``pk`` if ``user`` may see it (else 404: its existence is not told), with
    the access logged."""
    document = Document.objects.select_related("unit").filter(pk=pk).first()
    if document is None or not may_see(user, document):
        raise Http404(_("No such document."))
    log_access(user, document, what)
    return document


def document_to_act_on(user: Any, pk: int, what: str, action: str, refusal: str) -> Document:
    """The document ``pk`` for ``user`` to do ``action`` on at its unit: 404 when they may not
    see it (``document_for``, the opening logged), 403 with ``refusal`` (naming ``%(unit)s``)
    when they see it but may not act."""
    document = document_for(user, pk, what=what)
    if not may(user, action, document.unit):
        raise PermissionDenied(refusal % {"unit": document.unit.name})
    return document


def log_access(user: Any, document: Document, what: str) -> None:
    Access.objects.create(document=document, user=user if user.is_authenticated else None,
                          what=what[:300])


def require_sees(user: Any, document: Document) -> None:
    if not may_see(user, document):
        raise PermissionDenied(_("You may not read this document."))
