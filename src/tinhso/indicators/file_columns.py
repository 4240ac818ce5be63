"""The columns of the indicators' collection template: their keys and their headers, written in
the page's language; a file's headers are read back in English, in Vietnamese or as the keys."""

from __future__ import annotations

from functools import cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

LABELS = {"indicator": gettext_noop("Indicator code"),
          "indicator_name": gettext_noop("Indicator name"), "measure": gettext_noop("Measure"),
          "unit": gettext_noop("Unit code"),
          "unit_name": gettext_noop("Unit name"), "period": gettext_noop("Period"),
          "value": gettext_noop("Value"), "comment": gettext_noop("Comment"),
          "last_period": gettext_noop("Last period"), "last_value": gettext_noop("Last value")}
COLUMNS = tuple(LABELS)
LANGUAGES = ("en", "vi")


def label(key: str) -> str:
    """A column's header in the active language."""
    return _(LABELS[key]) if key in LABELS else key


@cache
def _headers() -> dict[str, str]:
    headers = {}
    for language in LANGUAGES:
        with override(language):
            headers.update({_(text).lower(): key for key, text in LABELS.items()})
    return headers


def column_key(header: object) -> str:
    """The column a header cell names: a key, or its header in English or Vietnamese."""
    text = " ".join(str(header).split()).lower() if header is not None else ""
    return text if text in LABELS else _headers().get(text, text)
