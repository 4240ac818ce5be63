"""Stored data in the page's language: ``{{ unit|localized:"name" }}`` shows ``unit.name_en`` on
an English page when it is filled, ``unit.name`` otherwise (see ``tinhso.core.languages``)."""

from __future__ import annotations

from typing import Any

from django import template

from tinhso.core import languages

register = template.Library()


@register.filter
def localized(obj: Any, field: str = "name") -> str:
    return languages.localized(obj, str(field))
