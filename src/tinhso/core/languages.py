"""Stored data in the page's language: a text kept in Vietnamese (``name``) with an optional
English twin (``name_en``) is shown as the twin on a page in another language when the twin is
filled, and as the Vietnamese otherwise (data without a twin keeps its original language).

One rule for templates (the ``localized`` filter in ``core/templatetags/localized.py``) and for
Python that builds labels (selectors, chart labels): ``localized(unit, "name")``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language


def active_language() -> str:
    """The active language's base code ("vi", "en"), Vietnamese when none is active."""
    return (get_language() or "vi").split("-")[0]


def in_language(vietnamese: Any, english: Any, language: str | None = None) -> str:
    """The English text on a page that is not Vietnamese when it is filled, else the
    Vietnamese."""
    language = language or active_language()
    if language != "vi" and english:
        return str(english)
    return "" if vietnamese is None else str(vietnamese)


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def localized(obj: Any, field: str = "name", language: str | None = None) -> str:
    """``obj.<field>`` in the page's language: its ``<field>_en`` twin on a page that is not
    Vietnamese when the twin is filled (objects and mappings alike)."""
    if obj is None or obj == "":
        return ""
    return in_language(_get(obj, field), _get(obj, f"{field}_en"), language)
