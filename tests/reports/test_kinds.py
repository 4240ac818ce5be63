"""Each report type builds from the demo data and holds the figures the pages show: the same
selectors, the same numbers; a period without data is refused with a clear message."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from tinhso.accounts.permissions import SYSTEM
from tinhso.indicators.selectors import targets_with_progress
from tinhso.procedures.figures import monthly_trend, service_figures
from tinhso.programme.board_selectors import charts, overdue_board
from tinhso.programme.selectors import clock
from tinhso.reports.document import Figure, Paragraph, Report, Table
from tinhso.reports.kinds import KINDS
from tinhso.reports.kinds.common import Asked, NoData, period_of
from tinhso.reports.kinds.programme import programme_document
from tinhso.units.selectors import unit_by_code

pytestmark = pytest.mark.django_db


def build(kind: str, period: str | None = None, unit: str = "56", **kwargs: object) -> Report:
    asked = Asked(kind, period_of(period or str(timezone.localdate().year)),
                  unit_by_code(unit), **kwargs)  # type: ignore[arg-type]
    return KINDS[kind].build(asked)


def texts(report: Report) -> str:
    return "\n".join(b.text for b in report.blocks if isinstance(b, Paragraph))


def table(report: Report, starts: str) -> Table:
    return next(t for t in report.tables() if t.caption.startswith(starts))


def test_programme_holds_the_boards_figures(demo) -> None:
    report = build("programme")
    clk = clock()
    document = programme_document(unit_by_code("56"))
    late = [r for r in overdue_board(SYSTEM, clk).overdue
            if r.row.task.group.document_id == document.pk]
    assert late, "the demo has overdue tasks"
    late_table = table(report, "Bảng 2")
    assert [row[0] for row in late_table.rows] == [r.row.task.code for r in late]
    board = next(d for d in charts(SYSTEM, clk, document=document).documents
                 if d.document.pk == document.pk)
    groups = table(report, "Bảng 1")
    assert len(groups.rows) == len(board.groups) + 1 == 5  # the four groups of 16-NQ/TU, total
    total = groups.rows[-1]
    assert total[0] == "Tổng cộng" and total[1] == board.whole.tasks
    assert total[5] == len(late) == board.whole.counts["overdue"]
    assert f"{len(late)} nhiệm vụ quá hạn" in texts(report)
    # the reasons are those of the progress reports (or say there is none)
    reasons = {row[0]: row[-1] for row in late_table.rows}
    for r in late:
        if r.last_report is not None and r.last_report.obstacles:
            assert reasons[r.row.task.code] == r.last_report.obstacles
        elif r.last_report is None:
            assert reasons[r.row.task.code] == "Chưa có báo cáo tiến độ"
    figure = next(b for b in report.blocks if isinstance(b, Figure))
    assert figure.png.startswith(b"\x89PNG")
    assert report.frame.issuing_body == "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA"
    assert report.frame.symbol == "BC-UBND" and report.frame.number is None
    assert report.frame.signature.authority == "TM. ỦY BAN NHÂN DÂN"
    assert "minh họa" in texts(report)  # the demo's tasks are illustrative


def test_programme_in_the_party_layout_numbered(demo) -> None:
    report = build("programme", layout="party", number=7)
    assert report.frame.issuing_body == "TỈNH ỦY KHÁNH HÒA"
    assert report.frame.symbol == "BC/TU" and report.frame.number == 7
    assert report.frame.layout == "party"


def test_programme_of_a_department_counts_its_own_tasks(demo) -> None:
    report = build("programme", unit="56.STC")
    stc = unit_by_code("56.STC")
    mine = next(u for u in charts(SYSTEM, clock()).units if u.unit.pk == stc.pk)
    row = table(report, "Bảng 1").rows[0]
    assert row[0] == "Sở Tài chính" and row[1] == mine.figures.tasks
    assert report.frame.parent_body == "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA"
    assert report.frame.issuing_body == "SỞ TÀI CHÍNH" and report.frame.symbol == "BC-STC"


def test_indicators_against_targets_with_ranks_and_their_field(demo) -> None:
    report = build("indicators")
    rows = table(report, "Bảng 1").rows
    assert len(rows) == len(targets_with_progress(unit_by_code("56")))
    ranks = [r for r in rows if r[0].startswith("Xếp hạng")]
    assert ranks and all("/" in r[1] for r in ranks)  # "16/34", never a bare rank
    assert any(r[1] == "16/34" and "phương pháp năm 2024" in r[2] for r in ranks)
    assert all(r[1] not in ("0", 0) for r in rows)


def test_indicators_before_any_value_says_not_published(demo) -> None:
    report = build("indicators", period="2023")
    values = [r[1] for r in table(report, "Bảng 1").rows]
    assert "chưa công bố" in values and "0" not in values


def test_dti_history_breaks_gap_and_plan(demo) -> None:
    report = build("dti")
    history = table(report, "Bảng 1").rows
    shown = {row[0]: row[2] for row in history}
    assert shown[2022] == "41/63" and shown[2024] == "16/34"
    assert shown[2023] == "chưa công bố"  # a gap, never a zero
    text = texts(report)
    assert "từ 63 thành 34 sau sắp xếp đơn vị hành chính năm 2025" in text
    assert "Theo kết quả năm 2022" in text and "25/63" in text  # the target for that field
    plan = table(report, "Bảng 2")
    assert plan.rows and all(row[2] >= row[1] for row in plan.rows)
    assert table(report, "Bảng 3").rows  # the programme's tasks serving those indicators


def test_services_hold_the_statistics_pages_figures(demo) -> None:
    year = timezone.localdate().year
    report = build("services", period=str(year))
    unit = unit_by_code("56")
    figures = service_figures(unit, year)
    totals = dict(table(report, "Bảng 1").rows)
    assert totals["Hồ sơ tiếp nhận"] == f"{int(figures[0].counts['dossiers_received']):,}" \
        .replace(",", ".")
    months = table(report, "Bảng 2").rows
    trend = monthly_trend(unit, year)
    assert months[-1][1] == sum(m.received for m in trend)
    scored = table(report, "Bảng 3").rows
    expected = {r.unit.name: r.score_766 for r in figures[1:] if r.has_dossiers}
    assert {row[0]: row[-1] for row in scored} == expected
    assert any(isinstance(b, Figure) for b in report.blocks)


def test_services_of_a_quarter_list_its_months_only(demo) -> None:
    year = timezone.localdate().year
    report = build("services", period=f"{year}-Q1")
    months = [row[0] for row in table(report, "Bảng 2").rows[:-1]]
    assert months == [f"0{m}/{year}" for m in (1, 2, 3)]


@pytest.mark.parametrize(("kind", "period", "words"), [
    ("programme", "2020", "no programme tasks"),
    ("services", "2019", "has no dossier"),
    ("dti", "2019", "No DTI rank"),
    ("indicators", "2015", "No indicator"),
])
def test_a_period_without_data_is_refused(demo, kind, period, words) -> None:
    asked = Asked(kind, period_of(period), unit_by_code("56"), today=date(2026, 12, 1))
    with pytest.raises(NoData, match=words):
        KINDS[kind].check(asked)
