"""Filters for the programme's pages: a status's label, a weight without needless decimals."""

from __future__ import annotations

from decimal import Decimal

from django import template

from tinhso.core.templatetags.vn import number
from tinhso.programme.models import TaskStatus

register = template.Library()

_LABELS = {s.value: s.label for s in TaskStatus}


@register.filter
def status_label(status: str) -> str:
    """``TaskStatus(status).label`` in the active language ('' for an unknown status)."""
    label = _LABELS.get(status)
    return str(label) if label is not None else ""


@register.filter
def weight(value: Decimal | float | None) -> str:
    """A weight as entered: 2 → '2', 1.5 → '1,5' (Vietnamese) / '1.5'."""
    if value is None:
        return "–"
    exact = Decimal(str(value)).normalize()
    decimals = max(0, -int(exact.as_tuple().exponent))
    return number(exact, min(decimals, 2))
