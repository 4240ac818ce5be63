"""Number formats for templates in the active language: {{ 64.06|percent }} -> 64,06 %."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from tinhso.core.numbers import format_number, format_percent

register = template.Library()


def _lang() -> str:
    return (get_language() or "vi").split("-")[0]


@register.filter
def percent(value: float | Decimal | None, decimals: int = 2) -> str:
    return format_percent(value, int(decimals), _lang())


@register.filter
def number(value: float | Decimal | None, decimals: int = 0) -> str:
    return format_number(value, int(decimals), _lang())
