"""Report (b): the indicators against their targets, as the home page and the indicators'
pages show them (``indicators.selectors.targets_with_progress``: each indicator's next target
and its status; a rank with its field, "16/34", and the year of its method).

The latest value shown is the latest of the indicator's series within the period (a value not
yet published is "chưa công bố", never 0); the status is the selector's.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from tinhso.indicators.models import Measure
from tinhso.indicators.progress import (
    ACHIEVED,
    AT_RISK,
    NOT_COMPARABLE,
    OFF_TRACK,
    ON_TRACK,
    UNKNOWN,
)
from tinhso.indicators.selectors import TargetStatus, targets_with_progress
from tinhso.reports.document import Block, Cell, Column, Heading, Paragraph, Report, Table
from tinhso.reports.kinds.common import (
    ILLUSTRATIVE_NOTE,
    Asked,
    NoData,
    frame_for,
    n,
    period_words,
    reporter,
)

STATUS_WORDS = {ACHIEVED: "Đã đạt", ON_TRACK: "Đúng tiến độ", AT_RISK: "Có nguy cơ chậm",
                OFF_TRACK: "Chậm tiến độ", UNKNOWN: "Chưa đủ số liệu",
                NOT_COMPARABLE: "Không so sánh được (khác số đơn vị xếp hạng)"}
COLUMNS = (Column("Chỉ tiêu"), Column("Giá trị"), Column("Kỳ số liệu"), Column("Mục tiêu"),
           Column("Năm mục tiêu", "text"), Column("Đánh giá"), Column("Nguồn"))


def _value_text(status: TargetStatus, value: float | None) -> str:
    indicator = status.indicator
    if value is None:
        return "chưa công bố"
    if indicator.measure == Measure.RANK:
        rank = next((r for r in reversed(status.ranks or []) if r.value == value), None)
        of = rank.of if rank is not None else None
        return f"{n(value)}/{of}" if of else n(value)
    if indicator.measure == Measure.PERCENT:
        return f"{n(value, min(indicator.decimals, 2))} %"
    return n(value, indicator.decimals if value % 1 else 0)


def _target_text(status: TargetStatus) -> str:
    target, indicator = status.target, status.indicator
    if indicator.measure == Measure.RANK:
        among = f"/{target.rank_of}" if target.rank_of else ""
        return f"Hạng {n(target.value)}{among} trở lên"
    if indicator.measure == Measure.PERCENT:
        return f"{n(target.value, 2 if target.value % 1 else 0)} %"
    return n(target.value, 2 if target.value % 1 else 0)


def _latest(status: TargetStatus, asked: Asked) -> tuple[float | None, str]:
    """The latest value of the series within the period, and its period's code (the rank's
    with its method year)."""
    points = [p for p in status.series if p.period.end <= asked.period.end]
    if not points:
        return None, ""
    point = points[-1]
    return point.value, point.period.label("vi")


def _source(status: TargetStatus) -> str:
    if status.ranks:
        return status.ranks[-1].source or status.target.source
    return status.target.source or status.indicator.get_source_kind_display()


def _row(status: TargetStatus, asked: Asked) -> tuple[Cell, ...]:
    value, period = _latest(status, asked)
    if status.indicator.measure == Measure.RANK and period:
        period = f"{period} (phương pháp năm {period[-4:]})"
    verdict = STATUS_WORDS.get(status.progress.status, status.progress.status)
    if value is None:
        verdict = STATUS_WORDS[UNKNOWN]
    return (status.indicator.name, _value_text(status, value), period or "–",
            _target_text(status), status.target.year, verdict, _source(status))


def _statuses(asked: Asked) -> list[TargetStatus]:
    statuses = targets_with_progress(asked.unit, asked.as_of)
    if not statuses:
        raise NoData(_("%(unit)s has no indicator with a target: there is nothing to report.")
                     % {"unit": asked.unit.name})
    if not any(p.period.end <= asked.period.end for s in statuses for p in s.series):
        raise NoData(_("No indicator of %(unit)s has a value up to the end of %(period)s.")
                     % {"unit": asked.unit.name, "period": asked.period.label("vi")})
    return statuses


def check(asked: Asked) -> None:
    _statuses(asked)


def build(asked: Asked) -> Report:
    statuses = _statuses(asked)
    rows = tuple(_row(s, asked) for s in statuses)
    counts = {key: sum(1 for r in rows if r[5] == word) for key, word in STATUS_WORDS.items()}
    blocks: list[Block] = [
        Paragraph(f"{reporter(asked)} báo cáo kết quả thực hiện các chỉ tiêu chuyển đổi số "
                  f"{period_words(asked.period)} so với mục tiêu như sau:"),
        Heading("KẾT QUẢ CÁC CHỈ TIÊU SO VỚI MỤC TIÊU"),
        Paragraph(f"Trong {n(len(rows))} chỉ tiêu có mục tiêu: {n(counts[ACHIEVED])} chỉ tiêu "
                  f"đã đạt, {n(counts[ON_TRACK])} đúng tiến độ, {n(counts[AT_RISK])} có nguy cơ "
                  f"chậm, {n(counts[OFF_TRACK])} chậm tiến độ, {n(counts[UNKNOWN])} chưa đủ số "
                  "liệu để đánh giá."),
        Table("Bảng 1. Các chỉ tiêu so với mục tiêu", COLUMNS, rows,
              "Thứ hạng ghi kèm số đơn vị được xếp hạng (16/34: hạng 16 trong 34 tỉnh, thành "
              "phố); số liệu chưa công bố ghi \"chưa công bố\", không ghi 0."),
    ]
    if any(s.indicator.is_illustrative or s.target.is_illustrative for s in statuses) or any(
            r.is_illustrative for s in statuses for r in (s.ranks or [])):
        blocks.append(Paragraph(ILLUSTRATIVE_NOTE))
    summary = f"Kết quả thực hiện các chỉ tiêu chuyển đổi số {period_words(asked.period)}"
    return Report("indicators", frame_for(asked, summary), tuple(blocks))
