"""What every report type shares: what was asked (:class:`Asked`), the period as the forms
write it, the administrative frame for Khánh Hòa (the People's Committee's or the Party's
layout), the "no data" refusal, and the charts drawn as images.

The reports are official documents in Vietnamese (Decree 30/2020/NĐ-CP): their own words are
Vietnamese whatever the page's language; only the messages to the user go through gettext.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from tinhso.core.numbers import format_number
from tinhso.core.periods import Period, parse_period
from tinhso.reports.document import Frame, Layout, Signature

PROVINCE = "KHÁNH HÒA"
PLACE = "Khánh Hòa"
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class NoData(ValueError):
    """The period (or unit) has none of the figures this report is made of: a clear message,
    never an empty report."""


@dataclass(frozen=True)
class Asked:
    """One report as asked: its type, period, unit (a ``units.Unit``), layout and number."""

    kind: str
    period: Period
    unit: Any
    layout: Layout = "state"
    number: int | None = None
    today: date | None = None

    @property
    def day(self) -> date:
        return self.today or date.today()

    @property
    def as_of(self) -> date:
        """The day the figures are read at: the period's end, or today while it runs."""
        return min(self.period.end, self.day)

    @property
    def is_province(self) -> bool:
        return bool(self.unit.level == "province")


_PERIOD_FORMS = re.compile(r"^(\d{4})(?:-?(Q[1-4]|S[12]|0[1-9]|1[0-2]))?$", re.IGNORECASE)


def period_of(raw: str) -> Period:
    """A period as the forms and the command write it: 2026, 2026-Q4, 2026-S1, 2026-11 (or
    DHIS2's 2026Q4, 202611). ValueError names what was given and the forms accepted."""
    match = _PERIOD_FORMS.match((raw or "").strip())
    if not match:
        raise ValueError(_("“%(raw)s” is not a period: write a year (2026), a quarter "
                           "(2026-Q4), a half-year (2026-S1) or a month (2026-11).")
                         % {"raw": raw})
    year, part = match.group(1), (match.group(2) or "").upper()
    return parse_period(f"{year}{part}")


def period_words(period: Period) -> str:
    """The period in the document's words: "năm 2026", "quý IV năm 2026", "tháng 11 năm
    2026", "6 tháng đầu năm 2026"."""
    start, year = period.start, period.start.year
    if period.type == "quarter":
        return f"quý {ROMAN[(start.month - 1) // 3 + 1]} năm {year}"
    if period.type == "month":
        return f"tháng {start.month:02d} năm {year}"
    if period.type == "half_year":
        return f"6 tháng {'đầu' if start.month == 1 else 'cuối'} năm {year}"
    return f"năm {year}"


def _initials(name: str) -> str:
    plain = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    letters = "".join(c for c in plain if not unicodedata.combining(c))
    return "".join(word[0].upper() for word in letters.split() if word[0].isalpha())


STATE_RECIPIENTS = ("Bộ Khoa học và Công nghệ;", "Thường trực Tỉnh ủy;",
                    "Thường trực HĐND tỉnh;", "Chủ tịch, các PCT UBND tỉnh;",
                    "Các sở, ban, ngành, UBND các xã, phường;")
PARTY_RECIPIENTS = ("Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng "
                    "tạo và chuyển đổi số;", "Các đồng chí Tỉnh ủy viên;",
                    "Các đảng bộ trực thuộc Tỉnh ủy;")


def frame_for(asked: Asked, summary: str) -> Frame:
    """The frame of a report of ``asked``: the Party's layout ("TỈNH ỦY KHÁNH HÒA", BC/TU),
    the provincial People's Committee's (BC-UBND), or a department's under it."""
    common: dict[str, Any] = {"number": asked.number, "place": PLACE, "day": asked.day,
                              "doc_type": "BÁO CÁO", "summary": summary}
    if asked.layout == "party":
        return Frame(layout="party", parent_body="ĐẢNG BỘ TỈNH " + PROVINCE,
                     issuing_body="TỈNH ỦY " + PROVINCE, symbol="BC/TU",
                     recipients=PARTY_RECIPIENTS, archive="Lưu Văn phòng Tỉnh ủy.",
                     signature=Signature("T/M BAN THƯỜNG VỤ", "", "PHÓ BÍ THƯ"), **common)
    if asked.is_province:
        return Frame(layout="state", parent_body="", issuing_body="ỦY BAN NHÂN DÂN TỈNH "
                     + PROVINCE, symbol="BC-UBND", recipients=STATE_RECIPIENTS,
                     archive="Lưu: VT, KGVX.",
                     signature=Signature("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH",
                                         "PHÓ CHỦ TỊCH"), **common)
    return Frame(layout="state", parent_body="ỦY BAN NHÂN DÂN TỈNH " + PROVINCE,
                 issuing_body=asked.unit.name.upper(), symbol="BC-" + _initials(asked.unit.name),
                 recipients=("UBND tỉnh (báo cáo);", "Sở Khoa học và Công nghệ;"),
                 archive="Lưu: VT.",
                 signature=Signature("", "KT. GIÁM ĐỐC" if asked.unit.level == "department"
                                     else "KT. CHỦ TỊCH",
                                     "PHÓ GIÁM ĐỐC" if asked.unit.level == "department"
                                     else "PHÓ CHỦ TỊCH"), **common)


def reporter(asked: Asked) -> str:
    """Who reports, in the body's first sentence."""
    if asked.layout == "party":
        return "Ban Thường vụ Tỉnh ủy"
    return "Ủy ban nhân dân tỉnh Khánh Hòa" if asked.is_province else asked.unit.name


ILLUSTRATIVE_NOTE = ("Một phần số liệu trong báo cáo này là số liệu minh họa (dữ liệu mẫu của "
                     "hệ thống), không phải số liệu chính thức.")


def n(value: float | int | Decimal | None, digits: int = 0) -> str:
    """A number in Vietnamese (1.234; 64,06); "chưa công bố" when there is none."""
    return "chưa công bố" if value is None else format_number(value, digits, "vi")


def bar_chart(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]],
              *, stacked: bool = False, horizontal: bool = False) -> bytes:
    """A bar chart as a PNG (matplotlib's Agg backend; DejaVu Sans has the Vietnamese
    letters): one bar per label and series, side by side or stacked."""
    # local: matplotlib is heavy, loaded only when a chart is drawn
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    plt.rcParams["font.family"] = "DejaVu Sans"
    fig, ax = plt.subplots(figsize=(7.5, 3.6 + 0.25 * len(labels) * horizontal), dpi=130)
    try:
        _draw(ax, labels, series, stacked, horizontal)
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=7, loc="best")
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(fig)


def _draw(ax: Any, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]],
          stacked: bool, horizontal: bool) -> None:
    positions = list(range(len(labels)))
    width = 0.8 if stacked else 0.8 / max(1, len(series))
    bottom = [0.0] * len(labels)
    for index, (name, values) in enumerate(series):
        shift = 0.0 if stacked else (index - (len(series) - 1) / 2) * width
        at = [p + shift for p in positions]
        if horizontal:
            ax.barh(at, values, height=width, left=bottom if stacked else None, label=name)
        else:
            ax.bar(at, values, width=width, bottom=bottom if stacked else None, label=name)
        if stacked:
            bottom = [b + float(v) for b, v in zip(bottom, values, strict=True)]
    if horizontal:
        ax.set_yticks(positions, [label[:40] for label in labels], fontsize=7)
        ax.invert_yaxis()
    else:
        ax.set_xticks(positions, labels, fontsize=7)
