"""Report (a): the programme's progress for a period, from the programme's own boards.

The figures are the charts page's (``board_selectors.charts``: each top group's tasks by
status and weighted progress, rolled up by ``rollup.roll_up``) and the overdue page's
(``board_selectors.overdue_board``: the overdue tasks, most late first, with the last progress
report, whose obstacles are the reasons given), read at the period's end (or today while the
period runs): counts are cumulative to that day.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from tinhso.accounts.permissions import SYSTEM
from tinhso.programme import schedule
from tinhso.programme.board_selectors import (
    DocumentFigures,
    OverdueRow,
    UnitFigures,
    charts,
    overdue_board,
)
from tinhso.programme.models import Document
from tinhso.programme.rollup import NodeFigures
from tinhso.programme.selectors import clock, documents_for_unit, visible_tasks
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

RESOLUTION = "16-NQ/TU"
STATUS_WORDS = {
    schedule.DONE_ON_TIME: "Hoàn thành đúng hạn", schedule.DONE_LATE: "Hoàn thành quá hạn",
    schedule.IN_PROGRESS: "Đang thực hiện", schedule.NOT_STARTED: "Chưa triển khai",
    schedule.DUE_SOON: "Sắp đến hạn", schedule.OVERDUE: "Quá hạn",
    schedule.CANCELLED: "Đã dừng",
}
KIND_WORDS = {"resolution": "Nghị quyết", "plan": "Kế hoạch", "decision": "Quyết định",
              "programme": "Chương trình", "report": "Báo cáo"}
COLUMNS = (Column("Nhóm nhiệm vụ"), Column("Tổng số", "int"),
           Column("Hoàn thành đúng hạn", "int"), Column("Hoàn thành quá hạn", "int"),
           Column("Đang thực hiện, chưa đến hạn", "int"), Column("Quá hạn", "int"),
           Column("Tiến độ bình quân (%)", "decimal", 1))


def programme_document(unit: object) -> Document | None:
    """The province's resolution (16-NQ/TU) when it has one, else its latest document."""
    documents = list(documents_for_unit(unit))  # type: ignore[arg-type]
    for document in documents:
        if document.number.endswith(RESOLUTION):
            return document
    return documents[-1] if documents else None


def _counts(figures: NodeFigures) -> tuple[int, ...]:
    c = figures.counts
    running = sum(c[s] for s in (schedule.NOT_STARTED, schedule.IN_PROGRESS, schedule.DUE_SOON))
    return (figures.tasks, c[schedule.DONE_ON_TIME], c[schedule.DONE_LATE], running,
            c[schedule.OVERDUE])


def _group_table(doc: DocumentFigures) -> Table:
    rows = [(f"{g.code}. {g.title}", *_counts(f), f.progress) for g, f in doc.groups]
    rows.append(("Tổng cộng", *_counts(doc.whole), doc.whole.progress))
    return Table("Bảng 1. Tình hình thực hiện nhiệm vụ theo nhóm", COLUMNS, tuple(rows),
                 "Tiến độ bình quân: bình quân có trọng số tiến độ các nhiệm vụ (nhiệm vụ hoàn "
                 "thành tính 100 %, nhiệm vụ đã dừng không tính).")


def _unit_table(unit_figures: UnitFigures) -> Table:
    f = unit_figures.figures
    return Table("Bảng 1. Tình hình thực hiện nhiệm vụ do đơn vị chủ trì", COLUMNS,
                 ((unit_figures.unit.name, *_counts(f), f.progress),))


def _reason(row: OverdueRow) -> str:
    report = row.last_report
    if report is None:
        return "Chưa có báo cáo tiến độ"
    return (report.obstacles or report.regression_reason or report.proposals
            or "Báo cáo không nêu khó khăn, vướng mắc")


def _late_table(late: list[OverdueRow]) -> Table:
    rows = tuple((r.row.task.code, r.row.task.title, r.row.task.lead_unit.name,
                  r.row.task.due_on, r.row.late_days, r.row.task.progress, _reason(r))
                 for r in late)
    return Table("Bảng 2. Nhiệm vụ quá hạn và lý do", (
        Column("Mã"), Column("Nhiệm vụ"), Column("Đơn vị chủ trì"), Column("Thời hạn", "date"),
        Column("Số ngày làm việc quá hạn", "int"), Column("Tiến độ (%)", "int"),
        Column("Lý do (theo báo cáo tiến độ gần nhất)")), rows,
        "Lý do: khó khăn, vướng mắc nêu trong báo cáo tiến độ gần nhất của đơn vị.")


def _chart(doc: DocumentFigures | None, unit_figures: UnitFigures | None) -> Figure:
    if doc is not None:
        labels = [g.code for g, _f in doc.groups]
        counts = [f.counts for _g, f in doc.groups]
    else:
        assert unit_figures is not None
        labels, counts = [unit_figures.unit.name], [unit_figures.figures.counts]
    series = [(STATUS_WORDS[s], [c[s] for c in counts]) for s in schedule.STATUSES
              if any(c[s] for c in counts)]
    png = bar_chart("Nhiệm vụ theo tình trạng", labels, series, stacked=True)
    return Figure(png, "Biểu đồ 1. Số nhiệm vụ theo tình trạng của từng nhóm")


def _document(asked: Asked) -> Document:
    """The programme's document for the report, or NoData when the period or unit has no
    task of it."""
    document = programme_document(asked.unit if asked.is_province else asked.unit.parent)
    tasks = visible_tasks(SYSTEM).filter(start_on__lte=asked.period.end)
    if document is None or not tasks.filter(group__document=document).exists():
        raise NoData(_("There are no programme tasks for %(period)s: the programme's tasks "
                       "start later.") % {"period": asked.period.label("vi")})
    if not asked.is_province and not tasks.filter(group__document=document,
                                                  lead_unit=asked.unit).exists():
        raise NoData(_("%(unit)s leads no task of the programme in %(period)s.")
                     % {"unit": asked.unit.name, "period": asked.period.label("vi")})
    return document


def check(asked: Asked) -> None:
    _document(asked)


def build(asked: Asked) -> Report:
    document = _document(asked)
    clk = clock(asked.as_of)
    board = charts(SYSTEM, clk, document=document)
    doc = next((d for d in board.documents if d.document.pk == document.pk), None)
    late = [r for r in overdue_board(SYSTEM, clk).overdue
            if r.row.task.group.document_id == document.pk]
    unit_figures = None
    if not asked.is_province:
        unit_figures = next((u for u in board.units if u.unit.pk == asked.unit.pk), None)
        late = [r for r in late if r.row.task.lead_unit_id == asked.unit.pk]
        doc = None
    if doc is None and unit_figures is None:
        raise NoData(_("There are no programme tasks for %(period)s: the programme's tasks "
                       "start later.") % {"period": asked.period.label("vi")})
    blocks = _blocks(asked, document, doc, unit_figures, late)
    illustrative = visible_tasks(SYSTEM).filter(group__document=document,
                                                is_illustrative=True).exists()
    if illustrative or document.is_illustrative:
        blocks.append(Paragraph(ILLUSTRATIVE_NOTE))
    return Report("programme", frame_for(asked, _summary(asked, document)), tuple(blocks))


def _summary(asked: Asked, document: Document) -> str:
    return (f"Kết quả thực hiện {KIND_WORDS.get(document.kind, 'văn bản')} số "
            f"{document.number} về chuyển đổi số "
            f"{period_words(asked.period)}")


def _blocks(asked: Asked, document: Document, doc: DocumentFigures | None,
            unit_figures: UnitFigures | None, late: list[OverdueRow]) -> list[Block]:
    whole = doc.whole if doc is not None else unit_figures.figures  # type: ignore[union-attr]
    counts = _counts(whole)
    day = asked.as_of.strftime("%d/%m/%Y")
    blocks: list[Block] = [
        Paragraph(f"Thực hiện {KIND_WORDS.get(document.kind, 'văn bản')} số {document.number} "
                  f"ngày {document.issued_on:%d/%m/%Y} ({document.title}), {reporter(asked)} "
                  "báo cáo kết quả thực hiện "
                  f"{period_words(asked.period)} như sau:"),
        Heading("KẾT QUẢ THỰC HIỆN"),
        Paragraph(f"Tính đến ngày {day}, có {n(counts[0])} nhiệm vụ; đã hoàn thành "
                  f"{n(counts[1] + counts[2])} nhiệm vụ (trong đó {n(counts[2])} nhiệm vụ hoàn "
                  f"thành quá hạn); {n(counts[3])} nhiệm vụ đang thực hiện trong hạn; "
                  f"{n(counts[4])} nhiệm vụ quá hạn. Tiến độ bình quân đạt "
                  f"{n(whole.progress, 1)} %."),
        _group_table(doc) if doc is not None else _unit_table(unit_figures),  # type: ignore
        _chart(doc, unit_figures),
        Heading("NHIỆM VỤ QUÁ HẠN, KHÓ KHĂN, VƯỚNG MẮC"),
    ]
    if late:
        blocks.append(_late_table(late))
    else:
        blocks.append(Paragraph(f"Đến ngày {day}, không có nhiệm vụ quá hạn."))
    blocks += [Heading("ĐỀ XUẤT, KIẾN NGHỊ"),
               Paragraph("Đề nghị các đơn vị chủ trì tập trung hoàn thành các nhiệm vụ quá hạn, "
                         "báo cáo tiến độ đúng kỳ theo quy định.")]
    return blocks
