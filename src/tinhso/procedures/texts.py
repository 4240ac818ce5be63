"""What a page shows of the catalogue's texts that have a language (time limit, fee, agency,
legal basis): the one place that decides, for templates, the API and the receipt alike.

- A Vietnamese page shows the catalogue's Vietnamese text; an English page its English twin.
- A time limit the page's language lacks (no twin, or an older catalogue's English text where
  the Vietnamese belongs) is said from its parsed rule through gettext, with the language's
  number formats ("3 ngày làm việc", "1.000 ngày").
- A fee written as a bare amount ("0", "50000") is said as an amount: "Miễn phí" / "Free",
  "50.000 đồng" / "VND 50,000".
- Otherwise the text of the other language is shown, marked: the answer is a :class:`Shown`,
  a ``str`` that knows its language and whether it is such a fallback, and renders in a template
  with its ``lang`` and a note ("in Vietnamese").
"""

from __future__ import annotations

import re
from typing import Any

from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from tinhso.core.languages import active_language
from tinhso.core.numbers import format_number
from tinhso.procedures.timelimits import written_in_english

FIELDS = ("time_limit", "fee", "agency", "legal_basis")
_AMOUNT = re.compile(r"^\d{1,3}(?:[.,\s]\d{3})*$|^\d+$")


class Shown(str):
    """A catalogue text as a page shows it: its ``language`` ("vi", "en") and ``fallback``
    (True when the page's language had none, so it is in the other one)."""

    language: str
    fallback: bool

    def __new__(cls, text: str, language: str, fallback: bool = False) -> Shown:
        shown = super().__new__(cls, text)
        shown.language, shown.fallback = language, fallback
        return shown

    def __html__(self) -> SafeString:
        if not self.fallback:
            return format_html("{}", str(self))
        note = gettext("in Vietnamese") if self.language == "vi" else gettext("in English")
        return format_html('<span lang="{}" data-fallback="{}">{}</span> <small>({})</small>',
                           self.language, self.language, str(self), note)


def _other(language: str) -> str:
    return "en" if language == "vi" else "vi"


def describe_time_rule(rule: dict[str, Any], language: str | None = None) -> str:
    """A time-limit rule (``timelimits.parse_time_limit``) said in ``language`` (the active one
    by default), numbers in its format; "" for a rule it does not know."""
    language = language or active_language()
    days, kind = rule.get("days"), rule.get("type")
    with translation.override(language):
        if kind == "same_day" and rule.get("cutoff"):
            return gettext("Same working day (received after %(time)s: next working day)") % {
                "time": rule["cutoff"]}
        if kind == "same_day":
            return gettext("Same working day")
        if kind in ("working_days", "days") and isinstance(days, int):
            values = {"days": format_number(days, lang=language)}
            if kind == "working_days":
                return ngettext("%(days)s working day", "%(days)s working days", days) % values
            return ngettext("%(days)s day", "%(days)s days", days) % values
    return ""


def time_limit_shown(procedure: Any, language: str | None = None) -> Shown:
    language = language or active_language()
    written, english = procedure.time_limit or "", procedure.time_limit_en or ""
    candidates = {"vi": written if not written_in_english(written) else "",
                  "en": english or (written if written_in_english(written) else "")}
    if candidates[language]:
        return Shown(candidates[language], language)
    described = describe_time_rule(procedure.time_rule or {}, language)
    if described:
        return Shown(described, language)
    other = candidates[_other(language)]
    return Shown(other, _other(language), fallback=bool(other))


def describe_amount(text: str, language: str | None = None) -> str:
    """A fee written as a bare amount in đồng, said in ``language``; "" for any other text."""
    if not _AMOUNT.match(text.strip()):
        return ""
    language = language or active_language()
    amount = int(re.sub(r"\D", "", text))
    with translation.override(language):
        if amount == 0:
            return gettext("Free")
        return gettext("VND %(amount)s") % {"amount": format_number(amount, lang=language)}


def _twin(procedure: Any, field: str, language: str) -> Shown:
    texts = {"vi": getattr(procedure, field, "") or "",
             "en": getattr(procedure, f"{field}_en", "") or ""}
    if texts[language]:
        return Shown(texts[language], language)
    other = texts[_other(language)]
    return Shown(other, _other(language), fallback=bool(other))


def fee_shown(procedure: Any, language: str | None = None) -> Shown:
    language = language or active_language()
    own = (procedure.fee_en if language != "vi" else procedure.fee) or ""
    if own:
        return Shown(describe_amount(own, language) or own, language)
    if described := describe_amount(procedure.fee or "", language):
        return Shown(described, language)
    return _twin(procedure, "fee", language)


def shown(procedure: Any, field: str, language: str | None = None) -> Shown:
    """``procedure``'s ``field`` (one of :data:`FIELDS`) as a page in ``language`` (the active
    one by default) shows it."""
    language = "vi" if (language or active_language()) == "vi" else "en"
    if field == "time_limit":
        return time_limit_shown(procedure, language)
    if field == "fee":
        return fee_shown(procedure, language)
    if field in FIELDS:
        return _twin(procedure, field, language)
    raise ValueError(f"no language rule for the catalogue's {field!r}")
