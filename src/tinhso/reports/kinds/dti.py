"""Report (c): the DTI self-assessment and rank, as the rankings pages show them.

The history is ``scoring.history_selectors.rank_history`` (each year's rank with its field
size and method; a year without the province's rank is a gap, never a zero; the breaks: a
change of method, and the 2025 merger that took the field from 63 provinces to 34). The gap to
the target rank and the cheapest plan that closes it are the gap page's
(``scoring.gap_selectors.gap_to_rank`` over ``scoring.selectors.ranking`` and
``unit_assessment``), for the latest year up to the period whose published values allow it; the
target rank is the province's target for that field (``indicators.selectors.rank_targets``).
The tasks serving each indicator of the plan are the programme's (``serving_tasks``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tinhso.accounts.permissions import SYSTEM
from tinhso.indicators.selectors import indicator_by_code, rank_targets
from tinhso.programme.board_selectors import serving_tasks
from tinhso.programme.selectors import clock
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
from tinhso.reports.kinds.programme import STATUS_WORDS
from tinhso.scoring.engine import load_framework
from tinhso.scoring.gap_selectors import Gap, gap_to_rank
from tinhso.scoring.history import Point
from tinhso.scoring.history_selectors import RankHistory, rank_history
from tinhso.scoring.selectors import UnitAssessment, ranking, unit_assessment

DTI_RANK = "dti_rank"  # the indicator keeping the province's rank targets, by field
DEFAULT_TARGET = 25  # the gap page's default target rank


def _rank_text(p: Point) -> str:
    if p.rank is None:
        return "chưa công bố"
    rank = f"{p.rank}-{p.rank_to}" if p.rank_to else str(p.rank)
    return f"{rank}/{p.field_size}"


def _history_table(history: RankHistory, year: int) -> Table:
    rows = tuple((p.year, history.methods.get(p.method, p.method), _rank_text(p),
                  None if p.total is None else float(p.total), p.source or "–")
                 for p in history.points if p.year <= year)
    return Table("Bảng 1. Thứ hạng DTI cấp tỉnh qua các năm", (
        Column("Năm", "text"), Column("Phương pháp"), Column("Thứ hạng"),
        Column("Điểm (thang 0-1)", "decimal", 4), Column("Nguồn")), rows,
        "Thứ hạng ghi kèm số tỉnh, thành phố được xếp hạng; năm không có thứ hạng công bố "
        "ghi \"chưa công bố\".")


def _breaks_text(history: RankHistory, year: int) -> list[Block]:
    out: list[Block] = []
    for b in history.breaks:
        if b.before > year:
            continue
        parts = []
        if b.method_changed:
            parts.append(f"thay đổi phương pháp ({history.methods.get(b.method_from)} → "
                         f"{history.methods.get(b.method_to)})")
        if b.field_changed:
            merger = " sau sắp xếp đơn vị hành chính năm 2025" if b.field_to < b.field_from \
                else ""
            parts.append(f"số đơn vị xếp hạng thay đổi từ {b.field_from} thành "
                         f"{b.field_to}{merger}")
        out.append(Paragraph(f"Từ năm {b.before}: {'; '.join(parts)}. Thứ hạng trước và sau "
                             "mốc này không so sánh trực tiếp được."))
    return out


def _assessed(history: RankHistory, year: int) -> tuple[Point, Any, UnitAssessment] | None:
    """The latest year up to ``year`` whose published values give the province's scores."""
    for point in reversed([p for p in history.points if p.year <= year and p.found]):
        framework = load_framework(point.method)
        assessment = unit_assessment(framework, point.year, history.unit)
        if assessment is not None:
            return point, framework, assessment
    return None


def _target_rank(asked: Asked, field_size: int, year: int) -> int:
    indicator = indicator_by_code(DTI_RANK)
    targets = [t for t in rank_targets(indicator, asked.unit) if t.rank_of == field_size] \
        if indicator is not None else []
    later = [t for t in targets if t.year >= year] or targets
    if later:
        return int(min(later, key=lambda t: t.year).value)
    return min(DEFAULT_TARGET, field_size)


def _gap_blocks(asked: Asked, point: Point, framework: Any, assessment: UnitAssessment
                ) -> tuple[list[Block], Gap]:
    rows = ranking(point.method, point.year)
    target = _target_rank(asked, len(rows), point.year)
    gap = gap_to_rank(framework, rows, assessment, target)
    names = {i.code: i.name for i in framework.indicators}
    plan = gap.plan
    blocks: list[Block] = [
        Heading("KHOẢNG CÁCH ĐẾN THỨ HẠNG MỤC TIÊU"),
        Paragraph(f"Theo kết quả năm {point.year} ({framework.short_name}), tỉnh đạt "
                  f"{n(gap.current * plan.scale, 2)}/{n(plan.scale)} điểm, xếp hạng "
                  f"{_rank_text(point)}. Để đạt hạng {target}/{gap.field_size} cần khoảng "
                  f"{n(gap.score_to_beat * plan.scale, 2)} điểm, còn thiếu "
                  f"{n(plan.missing_points, 2)} điểm."),
    ]
    if plan.already_reached:
        blocks.append(Paragraph("Điểm hiện tại đã đạt thứ hạng mục tiêu."))
        return blocks, gap
    steps = tuple((names.get(s.code, s.code), s.current * 100, s.proposed * 100,
                   s.points) for s in plan.steps)
    blocks.append(Table(
        "Bảng 2. Phương án ít nỗ lực nhất để đạt thứ hạng mục tiêu",
        (Column("Chỉ số thành phần"), Column("Hiện tại (%)", "decimal", 1),
         Column("Đề xuất (%)", "decimal", 1), Column("Điểm tăng thêm", "decimal", 2)), steps,
        "Phương án tối thiểu hóa tổng nỗ lực (mọi chỉ số cùng hệ số nỗ lực), không vượt giá "
        "trị cao nhất đã công bố; tính bằng công cụ phân tích khoảng cách của hệ thống."
        + ("" if plan.reachable else " Không đạt được thứ hạng mục tiêu ngay cả khi mọi chỉ "
           "số đạt mức trần.")))
    blocks.append(Figure(bar_chart(
        "Chỉ số thành phần: hiện tại và đề xuất (%)", [s.code for s in plan.steps],
        [("Hiện tại", [s.current * 100 for s in plan.steps]),
         ("Đề xuất", [s.proposed * 100 for s in plan.steps])]),
        "Biểu đồ 1. Các chỉ số thành phần cần nâng theo phương án"))
    return blocks, gap


def _serving_blocks(asked: Asked, codes: list[str], names: dict[str, str]) -> list[Block]:
    serving = serving_tasks(SYSTEM, codes, clock(asked.as_of))
    rows = tuple((names.get(s.code, s.code), r.task.code, r.task.title, r.task.lead_unit.name,
                  r.task.due_on, STATUS_WORDS.get(r.status, r.status))
                 for s in serving for r in s.rows)
    if not rows:
        return [Paragraph("Chưa có nhiệm vụ nào của Chương trình gắn với các chỉ số này.")]
    return [Table("Bảng 3. Nhiệm vụ phục vụ các chỉ số cần nâng", (
        Column("Chỉ số"), Column("Mã"), Column("Nhiệm vụ"), Column("Đơn vị chủ trì"),
        Column("Thời hạn", "date"), Column("Tình trạng")), rows)]


def _history(asked: Asked) -> RankHistory:
    year = asked.period.end.year
    history = rank_history(asked.unit)
    if not any(p.found for p in history.points if p.year <= year):
        raise NoData(_("No DTI rank of %(unit)s was published up to %(year)s.")
                     % {"unit": asked.unit.name, "year": year})
    return history


def check(asked: Asked) -> None:
    _history(asked)


def build(asked: Asked) -> Report:
    year = asked.period.end.year
    history = _history(asked)
    found = [p for p in history.points if p.found and p.year <= year]
    blocks: list[Block] = [
        Paragraph(f"{reporter(asked)} báo cáo kết quả đánh giá, xếp hạng Chỉ số chuyển đổi số "
                  f"(DTI) cấp tỉnh đến {period_words(asked.period)} như sau:"),
        Heading("THỨ HẠNG DTI QUA CÁC NĂM"),
        Paragraph(f"Thứ hạng công bố gần nhất: năm {found[-1].year}, hạng "
                  f"{_rank_text(found[-1])} ({history.methods.get(found[-1].method)})."),
        _history_table(history, year), *_breaks_text(history, year)]
    assessed = _assessed(history, year)
    if assessed is None:
        blocks.append(Paragraph("Chưa có năm nào công bố đủ điểm các chỉ số thành phần để "
                                "phân tích khoảng cách đến thứ hạng mục tiêu."))
    else:
        gap_blocks, gap = _gap_blocks(asked, *assessed)
        blocks += gap_blocks
        names = {i.code: i.name for i in assessed[1].indicators}
        codes = [s.code for s in gap.plan.steps if s.increase > 0]
        blocks += [Heading("NHIỆM VỤ PHỤC VỤ NÂNG HẠNG"), *_serving_blocks(asked, codes, names)]
        if assessed[2].illustrative:
            blocks.append(Paragraph(ILLUSTRATIVE_NOTE))
    summary = f"Kết quả Chỉ số chuyển đổi số (DTI) cấp tỉnh {period_words(asked.period)}"
    return Report("dti", frame_for(asked, summary), tuple(blocks))
