from __future__ import annotations

from django.db.models import QuerySet

from tinhso.programme.models import Document, Goal
from tinhso.units.models import Unit


def goals_for_unit(unit: Unit) -> QuerySet[Goal]:
    return Goal.objects.filter(unit=unit).select_related("document").order_by("year", "id")


def documents_for_unit(unit: Unit) -> QuerySet[Document]:
    return Document.objects.filter(unit=unit).order_by("issued_on")
