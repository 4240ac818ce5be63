"""Who sees which document: the query form of ``rules.visible``, tested to agree with it, and
the access log (every opening of a document or one of its files is recorded)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import may, scope_paths
from tinhso.documents import rules
from tinhso.documents.models import Access, Assignment, Document, Recipient
from tinhso.units.selectors import all_units, unit_ids_within, units_matching


def reading_scopes(user: Any) -> list[str]:
    """The unit paths where ``user`` holds a role that reads documents (``/``: all)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    paths = scope_paths(user, "documents.view")
    return ["/"] if paths is None else sorted(set(paths))


def reached_units(documents: Sequence[Document]) -> dict[int, set[int]]:
    """The ids of the units each document reaches: its registering unit, its addressees of
    this installation, and the lead and supporting units of its handling slip (three queries
    however many documents)."""
    ids = [d.pk for d in documents]
    reached = {d.pk: {d.unit_id} for d in documents}
    links = (
        Recipient.objects.filter(document_id__in=ids, unit__isnull=False)
        .values_list("document_id", "unit_id"),
        Assignment.objects.filter(document_id__in=ids).values_list("document_id", "lead_unit_id"),
        Assignment.support_units.through.objects.filter(assignment__document_id__in=ids)
        .values_list("assignment__document_id", "unit_id"),
    )
    for rows in links:
        for pk, unit_id in rows:
            reached[pk].add(unit_id)
    return reached


def reaches(documents: Sequence[Document]) -> dict[int, list[int]]:
    """What ``Document.reach`` holds for each document: its named readers as negative user
    ids when it is confidential (only they see it), else the ids of the units it reaches."""
    readers: dict[int, set[int]] = defaultdict(set)
    for pk, user_id in Document.readers.through.objects.filter(
            document_id__in=[d.pk for d in documents if d.confidential]).values_list(
            "document_id", "user_id"):
        readers[pk].add(user_id)
    units = reached_units([d for d in documents if not d.confidential])
    return {d.pk: sorted(-u for u in readers[d.pk]) if d.confidential else sorted(units[d.pk])
            for d in documents}


def reach_of(document: Document) -> list[int]:
    return reaches([document])[document.pk]


def unit_paths(document: Document) -> list[str]:
    """The paths of the units a document reaches."""
    ids = reached_units([document])[document.pk]
    return list(units_matching(ids=list(ids)).values_list("path", flat=True))


def may_see(user: Any, document: Document) -> bool:
    """``rules.visible`` for one document."""
    named = document.confidential and document.readers.filter(pk=user.pk).exists()
    return rules.visible(scopes=reading_scopes(user), unit_paths=unit_paths(document),
                         confidential=document.confidential, named=bool(named))


@dataclass(frozen=True)
class Reader:
    """Whose documents a person sees, resolved once (a search asks it several times):
    ``everything`` when every registering unit lies within their reading scope (a role at the
    province), else the unit ids of that scope; ``named``: their own id, negative, as
    ``Document.reach`` names the readers of a confidential document."""

    everything: bool
    units: tuple[int, ...] = ()
    named: tuple[int, ...] = ()

    def documents(self) -> QuerySet[Document]:
        """The query form of ``rules.visible``, asked of ``Document.reach`` (kept by
        ``reach_refresh`` at every step; the access tests check it against ``may_see``, which
        reads the relations): one condition, ``reach && ARRAY[the scope's unit ids, -the
        user's id]``, which the GIN index of the search answers together with the words. For
        ``everything`` the open documents are simply the non-confidential ones: a condition
        that does not narrow is better left to the date index."""
        if self.everything:
            return Document.objects.filter(Q(confidential=False)
                                           | Q(reach__overlaps=list(self.named)))
        return Document.objects.filter(reach__overlaps=[*self.units, *self.named])


def reader(user: Any) -> Reader:
    named = (-user.pk,) if getattr(user, "pk", None) else ()
    scopes = reading_scopes(user)
    if scopes == ["/"]:
        return Reader(True, named=named)
    units = unit_ids_within(scopes) if scopes else []
    if units and _every_registering_unit(units):
        return Reader(True, named=named)
    return Reader(False, tuple(units), named)


def visible_documents(user: Any) -> QuerySet[Document]:
    """The documents ``user`` may see (``Reader.documents``)."""
    return reader(user).documents()


def _every_registering_unit(units: list[int]) -> bool:
    """No document is registered outside ``units``."""
    outside = all_units().exclude(pk__in=units).values("pk")
    return not Document.objects.filter(unit__in=outside).exists()


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
