"""The fee of a procedure read from the catalogue's text (``Procedure.fee``: "50.000 đồng/hồ
sơ", "Miễn lệ phí", "20.000 đồng (10.000 đồng khi đăng ký trực tuyến)"), to an amount in VND.
Pure Python: no Django.

It never guesses. A text is read as one clear amount only when it names exactly one amount for
the dossier as a whole (none "per copy", "per page"), or one for dossiers submitted online
("khi đăng ký trực tuyến") beside the usual one. Everything else (no amount: "Do Hội đồng nhân
dân tỉnh quy định"; several amounts; a rate per copy or page; an exemption that depends on the
applicant) is ``UNCLEAR``, with the reason the page shows: such a fee is settled at the desk,
not paid online.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FREE, AMOUNT, UNCLEAR = "free", "amount", "unclear"

# The units of a rate that mean "for the dossier" (one case, one time): anything else ("bản
# sao", "trang", "hợp đồng") is a rate per item, whose number the text does not give.
PER_DOSSIER = ("hồ sơ", "trường hợp", "lần")


def _(message: str) -> str:
    """Marks a reason for translation; the caller translates it (no Django here)."""
    return message


NO_TEXT = _("The catalogue gives no fee for this procedure.")
# (The fee's own text is shown beside them, in the page's language: not repeated here.)
NO_AMOUNT = _("The catalogue's fee names no amount: it is settled at the desk.")
SEVERAL = _("The catalogue's fee names several amounts: which one applies is settled at the "
            "desk.")
PER_ITEM = _("The catalogue's fee is a rate per item (a copy, a page...), not per dossier: the "
             "amount depends on how many, and is settled at the desk.")
EXEMPTION = _("The catalogue's fee has exemptions that depend on the applicant: it is settled "
              "at the desk.")
IS_FREE = _("The procedure is free of charge.")
FREE_ONLINE = _("The procedure is free of charge when submitted online.")

_MILLION = re.compile(r"(\d+(?:[.,]\d+)?)\s*triệu\s*(?:đồng|đ)\b", re.IGNORECASE)
_VND = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})+|\d+)\s*(?:đồng|đ|vnđ|vnd)(?!\w)",
                  re.IGNORECASE)
_UNIT = re.compile(r"\s*/\s*([^;,()]+)")
_BRACKETS = re.compile(r"\(([^()]*)\)")
_ONLINE = "trực tuyến"
_EXEMPT = "miễn"


@dataclass(frozen=True)
class Fee:
    """What the catalogue's fee text says: ``kind`` FREE, AMOUNT or UNCLEAR; ``amount`` the
    usual amount in VND and ``online_amount`` the amount for a dossier submitted online (both
    None unless AMOUNT); ``reason`` a message id (with ``params``) saying why there is nothing
    to pay online, or ""."""

    kind: str
    amount: int | None = None
    online_amount: int | None = None
    reason: str = ""
    params: tuple[tuple[str, str], ...] = ()

    def due(self, online: bool) -> int | None:
        """The amount to pay for a dossier (submitted online or not); 0 when free; None when
        the text gives no clear amount."""
        if self.kind == FREE:
            return 0
        if self.kind != AMOUNT:
            return None
        return self.online_amount if online and self.online_amount is not None else self.amount

    def why_not(self, online: bool) -> tuple[str, dict[str, str]]:
        """(message id, parameters) saying why nothing is paid online for this dossier; ("",
        {}) when an amount is due."""
        due = self.due(online)
        if due:
            return "", {}
        if due == 0 and self.kind == AMOUNT:
            return FREE_ONLINE, {}
        return self.reason or IS_FREE, dict(self.params)


def _amounts(text: str) -> list[tuple[int, int, int]]:
    """(amount in VND, start, end) of every amount the text names, in order."""
    found = []
    for match in _MILLION.finditer(text):
        whole = float(match.group(1).replace(",", "."))
        found.append((round(whole * 1_000_000), match.start(), match.end()))
    for match in _VND.finditer(text):
        if any(start <= match.start() < end for _a, start, end in found):
            continue
        found.append((int(match.group(1).replace(".", "")), match.start(), match.end()))
    return sorted(found, key=lambda a: a[1])


def _online_clause(text: str) -> tuple[str, int | None, bool]:
    """(the text without its "when submitted online" bracket, the online amount, whether one
    was found: an online exemption gives 0)."""
    for match in _BRACKETS.finditer(text):
        inner = match.group(1).lower()
        if _ONLINE not in inner:
            continue
        amounts = _amounts(inner)
        if len(amounts) == 1:
            online = amounts[0][0]
        elif not amounts and _EXEMPT in inner:
            online = 0
        else:
            continue
        return text[:match.start()] + text[match.end():], online, True
    return text, None, False


def parse_fee(text: str) -> Fee:
    """The fee the catalogue's ``text`` states (see the module's docstring)."""
    shown = " ".join((text or "").split())
    params = (("text", shown),)
    if not shown:
        return Fee(UNCLEAR, reason=NO_TEXT)
    if shown in ("0", "0 đồng"):
        return Fee(FREE, reason=IS_FREE)
    rest, online, has_online = _online_clause(shown)
    amounts = _amounts(rest)
    lowered = rest.lower()
    if not amounts:
        if lowered.startswith(_EXEMPT) and not has_online:
            return Fee(FREE, reason=IS_FREE)
        return Fee(UNCLEAR, reason=NO_AMOUNT, params=params)
    if len(amounts) > 1:
        return Fee(UNCLEAR, reason=SEVERAL, params=params)
    if _EXEMPT in lowered:
        return Fee(UNCLEAR, reason=EXEMPTION, params=params)
    amount, _start, end = amounts[0]
    unit = _UNIT.match(rest, end)
    if unit and unit.group(1).strip().lower() not in PER_DOSSIER:
        return Fee(UNCLEAR, reason=PER_ITEM, params=(("unit", unit.group(1).strip()),))
    if amount == 0:
        return Fee(FREE, reason=IS_FREE)
    return Fee(AMOUNT, amount=amount, online_amount=online)
