"""Report (d): public services and dossiers, as the statistics page shows them
(``procedures.figures.service_figures``: the year's counts and rates of the unit and of each
unit below it, with each one's Decision 766 score; ``monthly_trend``: the months of the
period). The counts and scores are the year's (the 766 score is yearly); the monthly table
covers the months of the period asked.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from tinhso.procedures.figures import (
    Month,
    UnitFigures,
    illustrative_dossiers,
    monthly_trend,
    service_figures,
)
from tinhso.reports.document import Block, Column, Figure, Heading, Paragraph, Report, Table
from tinhso.reports.kinds.common import (
    ILLUSTRATIVE_NOTE,
    Asked,
    NoData,
    bar_chart,
    frame_for,
    n,
    period_words,
    reporter,
)


def _pct(value: float | None) -> str:
    return "chưa có số liệu" if value is None else f"{n(value, 2)} %"


def _totals_table(total: UnitFigures, year: int) -> Table:
    c, r = total.counts, total.rates
    rows = (("Hồ sơ tiếp nhận", c.get("dossiers_received")),
            ("Trong đó nộp trực tuyến", c.get("dossiers_online")),
            ("Hồ sơ đã giải quyết", c.get("dossiers_resolved")),
            ("Trong đó giải quyết đúng hạn", c.get("dossiers_resolved_on_time")),
            ("Hồ sơ đang giải quyết cuối kỳ", c.get("dossiers_in_progress")),
            ("Trong đó quá hạn", c.get("dossiers_open_overdue")))
    rated = (("Tỷ lệ hồ sơ trực tuyến", r.get("online_dossiers_rate")),
             ("Tỷ lệ hồ sơ đúng hạn (Quyết định 766)", r.get("on_time_rate")),
             ("Tỷ lệ thanh toán trực tuyến", r.get("online_payment_rate")),
             ("Tỷ lệ số hóa hồ sơ", r.get("digitisation_rate")),
             ("Tỷ lệ hài lòng", r.get("satisfaction_rate")))
    body = tuple((label, n(v)) for label, v in rows) + tuple((label, _pct(v))
                                                              for label, v in rated)
    return Table(f"Bảng 1. Số liệu hồ sơ thủ tục hành chính năm {year}",
                 (Column("Chỉ tiêu"), Column("Số liệu")), body,
                 "Số liệu tính từ hồ sơ một cửa trên hệ thống; tỷ lệ đúng hạn theo Quyết định "
                 "766/QĐ-TTg (hồ sơ đã giải quyết đúng hạn và hồ sơ đang giải quyết chưa quá "
                 "hạn trên tổng số).")


def _months_table(months: list[Month]) -> Table:
    rows = tuple((f"{m.month.month:02d}/{m.month.year}", m.received, m.online, m.resolved,
                  m.on_time) for m in months)
    total = ("Cộng", *(sum(getattr(m, a) for m in months)
                       for a in ("received", "online", "resolved", "on_time")))
    return Table("Bảng 2. Hồ sơ theo tháng", (
        Column("Tháng"), Column("Tiếp nhận", "int"), Column("Trực tuyến", "int"),
        Column("Đã giải quyết", "int"), Column("Đúng hạn", "int")), (*rows, total),
        "Tiếp nhận và trực tuyến theo tháng tiếp nhận; đã giải quyết và đúng hạn theo tháng "
        "có kết quả.")


def _units_table(rows: list[UnitFigures], year: int) -> Table:
    body = tuple((r.unit.name, r.counts.get("dossiers_received"),
                  r.rates.get("online_dossiers_rate"), r.rates.get("on_time_rate"),
                  r.score_766) for r in rows)
    return Table(f"Bảng 3. Điểm đánh giá theo Quyết định 766/QĐ-TTg của các đơn vị năm {year}", (
        Column("Đơn vị"), Column("Hồ sơ tiếp nhận", "int"),
        Column("Tỷ lệ trực tuyến (%)", "decimal", 2), Column("Tỷ lệ đúng hạn (%)", "decimal", 2),
        Column("Điểm 766", "decimal", 2)), body,
        "Điểm tính theo Bộ chỉ số Quyết định 766/QĐ-TTg từ số liệu của hệ thống; ô trống: "
        "chưa có số liệu.")


def _chart(months: list[Month]) -> Figure:
    png = bar_chart("Hồ sơ theo tháng", [f"{m.month.month:02d}" for m in months], [
        ("Tiếp nhận", [m.received for m in months]),
        ("Nộp trực tuyến", [m.online for m in months]),
        ("Giải quyết đúng hạn", [m.on_time for m in months])])
    return Figure(png, "Biểu đồ 1. Hồ sơ tiếp nhận, trực tuyến và đúng hạn theo tháng")


def _months(asked: Asked) -> list[Month]:
    months = [m for m in monthly_trend(asked.unit, asked.period.start.year, asked.as_of)
              if asked.period.start <= m.month <= asked.period.end]
    if not any(m.received or m.resolved for m in months):
        raise NoData(_("%(unit)s has no dossier in %(period)s.")
                     % {"unit": asked.unit.name, "period": asked.period.label("vi")})
    return months


def check(asked: Asked) -> None:
    _months(asked)


def build(asked: Asked) -> Report:
    year = asked.period.start.year
    months = _months(asked)
    figures = service_figures(asked.unit, year, asked.as_of)
    total = figures[0]
    units = [r for r in figures[1:] if r.has_dossiers]
    c = total.counts
    blocks: list[Block] = [
        Paragraph(f"{reporter(asked)} báo cáo tình hình tiếp nhận, giải quyết thủ tục hành "
                  f"chính và cung cấp dịch vụ công trực tuyến {period_words(asked.period)} như "
                  "sau:"),
        Heading("TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ"),
        Paragraph(f"Năm {year}, tiếp nhận {n(c.get('dossiers_received'))} hồ sơ, trong đó "
                  f"{n(c.get('dossiers_online'))} hồ sơ nộp trực tuyến (tỷ lệ "
                  f"{_pct(total.rates.get('online_dossiers_rate'))}); tỷ lệ đúng hạn "
                  f"{_pct(total.rates.get('on_time_rate'))}; điểm đánh giá theo Quyết định 766: "
                  f"{n(total.score_766, 2)}."),
        _totals_table(total, year), _months_table(months), _chart(months)]
    if units:
        blocks += [Heading("ĐÁNH GIÁ CỦA CÁC ĐƠN VỊ THEO QUYẾT ĐỊNH 766"),
                   _units_table(units, year)]
    if illustrative_dossiers(year, within=asked.unit):
        blocks.append(Paragraph(ILLUSTRATIVE_NOTE))
    summary = ("Tình hình giải quyết thủ tục hành chính và cung cấp dịch vụ công trực tuyến "
               + period_words(asked.period))
    return Report("services", frame_for(asked, summary), tuple(blocks))
