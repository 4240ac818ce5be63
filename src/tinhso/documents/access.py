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
from tinhso.documents.models import Access, Assignment, Document, Recipient
from tinhso.units.selectors import all_units, unit_ids_within


def reading_scopes(user: Any) -> list[str]:
    """The unit paths where ``user`` holds a role that reads documents (``/``: all)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    paths = scope_paths(user, "documents.view")
    return ["/"] if paths is None else sorted(set(paths))


def unit_paths(document: Document) -> list[str]:
    """The paths of the units a document reaches."""
    paths = [document.unit.path]
    paths += [r.unit.path for r in document.recipients.select_related("unit") if r.unit]
    assignment = Assignment.objects.filter(document=document).select_related(
        "lead_unit").first()
    if assignment is not None:
        paths.append(assignment.lead_unit.path)
        paths += [u.path for u in assignment.support_units.all()]
    return paths


def may_see(user: Any, document: Document) -> bool:
    """``rules.visible`` for one document."""
    named = document.confidential and document.readers.filter(pk=user.pk).exists()
    return rules.visible(scopes=reading_scopes(user), unit_paths=unit_paths(document),
                         confidential=document.confidential, named=bool(named))


def visible_documents(user: Any) -> QuerySet[Document]:
    """The documents ``user`` may see: the query form of ``rules.visible``.

    The scope is resolved to unit ids first, so that each branch is an indexed ``IN``; and
    when every registering unit lies within the scope (a role at the province), the open
    documents are simply the non-confidential ones (nothing to join at 1,000,000 rows)."""
    named = Q(confidential=True, readers=user.pk) if getattr(user, "pk", None) else Q(pk__in=[])
    named_ids = Document.objects.filter(named).values("pk")
    scopes = reading_scopes(user)
    if not scopes:
        return Document.objects.filter(pk__in=named_ids)
    if scopes == ["/"]:
        return Document.objects.filter(Q(confidential=False) | Q(pk__in=named_ids))
    units = unit_ids_within(scopes)
    if _every_registering_unit(units):
        return Document.objects.filter(Q(confidential=False) | Q(pk__in=named_ids))
    addressed = Recipient.objects.filter(unit_id__in=units).values("document_id")
    led = Assignment.objects.filter(lead_unit_id__in=units).values("document_id")
    supported = Assignment.support_units.through.objects.filter(
        unit_id__in=units).values("assignment__document_id")
    open_ = Q(confidential=False) & (Q(unit_id__in=units) | Q(pk__in=addressed)
                                     | Q(pk__in=led) | Q(pk__in=supported))
    return Document.objects.filter(open_ | Q(pk__in=named_ids))


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
