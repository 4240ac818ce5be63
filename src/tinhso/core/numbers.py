"""Vietnamese number formats, without Django: 64,06 %; 1.234.567; 0,7071.

Pure functions so that reports, the command line and the API format numbers exactly as the
pages do (pages use Django's localisation, which gives the same result with the ``vi`` formats).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

SEPARATORS = {"vi": (",", "."), "en": (".", ",")}


def format_number(value: float | int | Decimal | None, decimals: int = 0, lang: str = "vi") -> str:
    """Group thousands and round half up: format_number(1234567.891, 2) == '1.234.567,89'."""
    if value is None:
        return "–"
    decimal_sep, thousand_sep = SEPARATORS.get(lang, SEPARATORS["vi"])
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):f}"
    whole, _, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = sign + thousand_sep.join(groups)
    if decimals > 0:
        out += decimal_sep + fraction
    return out


def format_percent(value: float | int | Decimal | None, decimals: int = 2, lang: str = "vi") -> str:
    """A percentage as Vietnamese official writing has it: 64,06 % (a space before the sign)."""
    if value is None:
        return "–"
    return f"{format_number(value, decimals, lang)}\u00a0%"
