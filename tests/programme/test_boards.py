"""The programme's boards: my unit's tasks, the timeline, overdue and at risk, the charts, and
the tasks that serve a DTI main indicator (the gap page's partial).

Dates are relative to today (``timezone.localdate()``), so each task's status is known."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import holidays
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import citizen, programme_document, programme_task, task_group
from tinhso.accounts.permissions import SYSTEM
from tinhso.calendars.services import calendar_day_set
from tinhso.core.models import DayKind
from tinhso.programme import schedule
from tinhso.programme.models import ProgressReport, ReportKind, ReportStatus, Task
from tinhso.programme.rollup import GroupFact, TaskFact, roll_up
from tinhso.programme.selectors import clock, task_status

pytestmark = pytest.mark.django_db

PAGES = ["/programme/mine/", "/programme/timeline/", "/programme/overdue/", "/programme/charts/"]


@pytest.fixture(autouse=True)
def _english_pages(client: Any, settings: Any) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def days(n: int) -> date:
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def board(reference_units: dict[str, Any], people: dict[str, Any]) -> dict[str, Any]:
    """Tasks of every status: Finance (56.STC, reporter ``baocao``) leads five, Health (56.SYT)
    three, Science and Technology (the coordinator's department) one, Construction one."""
    u = reference_units
    plan = programme_document(u["56"])
    foundations = task_group(plan, "1", title="Nền tảng", area="foundations", position=1)
    government = task_group(plan, "2", title="Chính quyền số", area="digital_government",
                            position=2, weight=Decimal(2))
    item = task_group(plan, "2.1", title="Dịch vụ công", parent=government)
    period = schedule.period_to_report(timezone.localdate(), clock().rule)
    t: dict[str, Any] = {"plan": plan, "groups": [foundations, government, item],
                         "period": period}
    t["overdue"] = programme_task(
        item, u["56.STC"], "2.1.1", start_on=days(-200), due_on=days(-30), progress=40,
        support_units=[u["56.SYT"]], dti_codes=["chinh_quyen_so"])
    t["soon"] = programme_task(
        item, u["56.STC"], "2.1.2", start_on=period.end + timedelta(days=1), due_on=days(5),
        progress=70, dti_codes=["chinh_quyen_so", "kinh_te_so"])
    t["progress"] = programme_task(foundations, u["56.STC"], "1.1", start_on=days(-100),
                                   due_on=days(200), progress=50, weight=Decimal(3))
    t["behind"] = programme_task(foundations, u["56.SYT"], "1.2", start_on=days(-200),
                                 due_on=days(100), progress=10, support_units=[u["56.STC"]],
                                 dti_codes=["xa_hoi_so"])
    t["not_started"] = programme_task(government, u["56.SYT"], "2.2", start_on=days(10),
                                      due_on=days(300))
    t["done"] = programme_task(foundations, u["56.STC"], "1.3", start_on=days(-300),
                               due_on=days(-100), done_on=days(-120), progress=100)
    t["done_late"] = programme_task(government, u["56.SYT"], "2.3", start_on=days(-300),
                                    due_on=days(-100), done_on=days(-50), progress=100,
                                    finished_late=True)
    t["cancelled"] = programme_task(item, u["56.STC"], "2.1.3", start_on=days(-50),
                                    due_on=days(-10), cancelled_on=days(-20),
                                    cancel_reason="Gộp vào 2.1.1",
                                    dti_codes=["chinh_quyen_so"])
    t["skhcn"] = programme_task(foundations, u["56.SKHCN"], "1.4", start_on=days(-20),
                                due_on=days(400), progress=5)
    t["other"] = programme_task(government, u["56.SXD"], "2.4", start_on=days(-20),
                                due_on=days(-3), dti_codes=["kinh_te_so"])
    for report in (
        {"task": t["overdue"], "status": ReportStatus.RETURNED, "percent": 40},
        {"task": t["progress"], "status": ReportStatus.ACCEPTED, "percent": 50},
    ):
        ProgressReport.objects.create(period=period.code, unit=report["task"].lead_unit,
                                      kind=ReportKind.LEAD, done_text="Đã làm", **report)
    return t


def _status(task: Task) -> str:
    task.refresh_from_db()
    return task_status(task, clock())


def test_the_fixture_has_the_statuses_it_says(board: dict[str, Any]) -> None:
    assert {k: _status(board[k]) for k in ("overdue", "soon", "progress", "behind",
                                           "not_started", "done", "done_late", "cancelled")} \
        == {"overdue": "overdue", "soon": "due_soon", "progress": "in_progress",
            "behind": "in_progress", "not_started": "not_started", "done": "done_on_time",
            "done_late": "done_late", "cancelled": "cancelled"}


def _tasks(page: str, attribute: str = "data-task") -> list[int]:
    """The tasks listed (rows, items or bars), in order."""
    return [int(pk) for pk in re.findall(rf'<(?:tr|li|div class="gantt-row") {attribute}="(\d+)"',
                                         page)]


def _section(page: str, key: str) -> str:
    match = re.search(rf'<section[^>]*data-section="{key}".*?</section>', page, re.S)
    return match.group(0) if match else ""


# --- who may see ----------------------------------------------------------------------------


def test_boards_are_for_staff(client: Any, board: dict[str, Any]) -> None:
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(citizen())
    for url in PAGES:
        assert client.get(url).status_code == 403


def test_each_board_shows_the_coordinator_its_data(client: Any, board: dict[str, Any],
                                                   people: dict[str, Any]) -> None:
    client.force_login(people["coordinator"])
    for url, key in zip(PAGES, ("skhcn", "skhcn", "overdue", "other"), strict=True):
        response = client.get(url)
        assert response.status_code == 200
        # the pages read in English: a unit by its English name
        text = board[key].lead_unit.name_en if url.endswith("charts/") else board[key].title
        assert text in response.content.decode(), url


# --- my unit's tasks ------------------------------------------------------------------------


def test_my_units_tasks_grouped_with_the_reports_to_send(client: Any, board: dict[str, Any],
                                                         people: dict[str, Any]) -> None:
    client.force_login(people["reporter"])
    page = client.get("/programme/mine/").content.decode()
    b = board
    sections = {key: _tasks(_section(page, key)) for key in
                ("overdue", "due_soon", "in_progress", "not_started", "done", "cancelled")}
    assert sections == {
        "overdue": [b["overdue"].pk], "due_soon": [b["soon"].pk],
        "in_progress": [b["behind"].pk, b["progress"].pk], "not_started": [],
        "done": [b["done"].pk], "cancelled": [b["cancelled"].pk]}
    assert page.index('data-section="overdue"') < page.index('data-section="due_soon"') \
        < page.index('data-section="in_progress"') < page.index('data-section="done"')
    # Finance supports the Health task: it is listed with its role.
    row = re.search(rf'<tr data-task="{b["behind"].pk}".*?</tr>', page, re.S).group(0)
    assert "supports" in row and "Department of Health" in row
    assert b["other"].title not in page and b["not_started"].title not in page
    # A report is owed for the overdue task (its report was returned), not for the task whose
    # report was accepted, nor for the one that started after the period ended.
    to_report = re.search(r'data-testid="to-report".*?</section>', page, re.S).group(0)
    assert _tasks(to_report) == [b["overdue"].pk]
    assert b["period"].code in to_report
    due = schedule.report_due(b["period"], clock().rule, clock().cal)
    assert due.strftime("%d/%m/%Y") in to_report
    assert b["overdue"].due_on.strftime("%d/%m/%Y") in page


def test_my_units_are_where_i_hold_a_role_and_where_i_work(
        client: Any, board: dict[str, Any], people: dict[str, Any]) -> None:
    client.force_login(people["coordinator"])
    page = client.get("/programme/mine/").content.decode()
    assert "Department of Science and Technology" in page
    # The coordinator's role at the province does not make every department's task theirs.
    assert _tasks(page) == [board["skhcn"].pk]


# --- the timeline ---------------------------------------------------------------------------


def test_timeline_has_a_bar_per_task_by_top_group_and_the_today_line(
        client: Any, board: dict[str, Any], people: dict[str, Any]) -> None:
    client.force_login(people["coordinator"])
    page = client.get("/programme/timeline/").content.decode()
    bars = _tasks(page, "data-bar")
    assert sorted(bars) == sorted(t.pk for t in Task.objects.all()) and len(bars) == 10
    assert 'data-testid="today-line"' in page
    lanes = [int(g) for g in re.findall(r'data-group="(\d+)"', page)]
    foundations, government, _item = board["groups"]
    assert lanes == [foundations.pk, government.pk]  # the item 2.1 is in the lane of group 2
    lane_2 = page[page.index(f'data-group="{government.pk}"'):]
    assert f'data-bar="{board["overdue"].pk}"' in lane_2  # a task of 2.1
    done = re.search(rf'data-bar="{board["done"].pk}".*?data-done="([\d-]+)"', page, re.S)
    assert done.group(1) == board["done"].done_on.isoformat()
    bar = re.search(rf'data-bar="{board["overdue"].pk}".*?</div>\s*</div>', page, re.S).group(0)
    assert "gantt-late" in bar and "40 %" in bar


def test_timeline_filters(client: Any, board: dict[str, Any], people: dict[str, Any]) -> None:
    client.force_login(people["coordinator"])
    b = board
    page = client.get("/programme/timeline/", {"area": "foundations"}).content.decode()
    assert sorted(_tasks(page, "data-bar")) == sorted(
        b[k].pk for k in ("progress", "behind", "done", "skhcn"))
    page = client.get("/programme/timeline/", {"unit": "56.SYT"}).content.decode()
    assert sorted(_tasks(page, "data-bar")) == sorted(
        b[k].pk for k in ("overdue", "behind", "not_started", "done_late"))
    other = programme_document(b["plan"].unit, "11/KH-UBND")
    page = client.get("/programme/timeline/", {"document": other.pk}).content.decode()
    assert _tasks(page, "data-bar") == []
    assert client.get("/programme/timeline/", {"area": "nope"}).status_code == 400
    assert client.get("/programme/timeline/", {"unit": "XX"}).status_code == 404
    assert client.get("/programme/timeline/", {"document": "x"}).status_code == 400


def test_the_reporter_sees_only_the_tasks_of_their_unit(
        client: Any, board: dict[str, Any], people: dict[str, Any]) -> None:
    client.force_login(people["reporter"])
    mine = {board[k].pk for k in ("overdue", "soon", "progress", "behind", "done",
                                  "cancelled")}
    page = client.get("/programme/timeline/").content.decode()
    assert set(_tasks(page, "data-bar")) == mine
    page = client.get("/programme/overdue/").content.decode()
    assert set(_tasks(page)) == mine & {board["overdue"].pk, board["soon"].pk,
                                        board["behind"].pk}
    assert "Department of Construction" not in page
    page = client.get("/programme/charts/").content.decode()
    assert board["skhcn"].title not in page and "Department of Construction" not in page


# --- overdue and at risk --------------------------------------------------------------------


def test_overdue_and_at_risk_with_reasons_and_counts_per_unit(
        client: Any, board: dict[str, Any], people: dict[str, Any]) -> None:
    client.force_login(people["coordinator"])
    page = client.get("/programme/overdue/").content.decode()
    b = board
    overdue = re.search(r'data-testid="overdue".*?</table>', page, re.S).group(0)
    assert _tasks(overdue) == [b["overdue"].pk, b["other"].pk]  # most late first
    row = re.search(rf'<tr data-task="{b["overdue"].pk}".*?</tr>', overdue, re.S).group(0)
    assert "Department of Finance" in row and "Department of Health" in row  # lead, support
    report = ProgressReport.objects.get(task=b["overdue"])
    assert f'data-last-report="{report.pk}"' in row and "Returned" in row
    late = int(re.search(r'data-late="(\d+)"', row).group(1))
    clk = clock()
    assert late == schedule.days_late(b["overdue"].due_on, clk.today, clk.cal) > 0
    risky = re.search(r'data-testid="at-risk".*?</table>', page, re.S).group(0)
    assert sorted(_tasks(risky)) == sorted([b["soon"].pk, b["behind"].pk])
    soon = re.search(rf'<tr data-task="{b["soon"].pk}".*?</tr>', risky, re.S).group(0)
    assert 'data-reason="due_soon"' in soon and "working day" in soon
    behind = re.search(rf'<tr data-task="{b["behind"].pk}".*?</tr>', risky, re.S).group(0)
    assert 'data-reason="behind"' in behind and 'data-reason="due_soon"' not in behind
    counts = {code: tuple(map(int, values)) for code, *values in re.findall(
        r'<tr data-unit="([\w.]+)">.*?data-overdue="(\d+)".*?data-at-risk="(\d+)"'
        r'.*?data-open="(\d+)"', page, re.S)}
    assert counts == {"56.STC": (1, 1, 3), "56.SYT": (0, 1, 2), "56.SXD": (1, 0, 1),
                      "56.SKHCN": (0, 0, 1)}


def _hand_count(after: date, until: date, off: set[date]) -> int:
    """Working days in (after, until]: Monday to Friday, not a holiday, not a day off."""
    vn = holidays.VN(years=range(after.year, until.year + 1))
    day, n = after, 0
    while day < until:
        day += timedelta(days=1)
        n += day.weekday() < 5 and day not in vn and day not in off
    return n


def test_days_late_are_working_days_across_weekends_and_holidays(
        client: Any, board: dict[str, Any], people: dict[str, Any]) -> None:
    today = timezone.localdate()
    vn = holidays.VN(years=range(today.year - 1, today.year + 1))
    due = today - timedelta(days=9)
    while due.weekday() != 4 or due in vn:  # a working Friday, before a weekend
        due -= timedelta(days=1)
    day_off = due + timedelta(days=3)  # the Monday after it, made a day off
    calendar_day_set(actor=SYSTEM, day=day_off, kind=DayKind.DAY_OFF, name="Nghỉ bù (thử)")
    task = programme_task(board["groups"][0], board["overdue"].lead_unit, "1.9",
                          start_on=due - timedelta(days=60), due_on=due)
    client.force_login(people["coordinator"])
    page = client.get("/programme/overdue/").content.decode()
    row = re.search(rf'<tr data-task="{task.pk}".*?</tr>', page, re.S).group(0)
    late = int(re.search(r'data-late="(\d+)"', row).group(1))
    assert late == _hand_count(due, today, {day_off})
    assert late <= (today - due).days - 3  # the weekend and the day off do not count


# --- charts ---------------------------------------------------------------------------------


def _chart_json(page: str) -> dict[str, Any]:
    raw = re.search(r'<script id="programme-charts" type="application/json">(.*?)</script>',
                    page, re.S).group(1)
    return json.loads(raw)


def test_charts_carry_the_roll_up_figures(client: Any, board: dict[str, Any],
                                          people: dict[str, Any]) -> None:
    client.force_login(people["coordinator"])
    page = client.get("/programme/charts/").content.decode()
    data = _chart_json(page)
    clk = clock()
    tasks = list(Task.objects.all())
    facts = [TaskFact(t.id, t.group_id, t.weight, t.progress, task_status(t, clk))
             for t in tasks]
    figures, whole = roll_up([GroupFact(g.id, g.parent_id, g.weight) for g in board["groups"]],
                             facts)
    [chart] = data["documents"]
    foundations, government, _item = board["groups"]
    assert chart["progress"] == [pytest.approx(figures[foundations.pk].progress),
                                 pytest.approx(figures[government.pk].progress)]
    assert chart["weights"] == ["1.00", "2.00"] and chart["whole"] == pytest.approx(whole.progress)
    # By hand: foundations = (3×50 + 1×10 + 1×100 + 1×5) / 6; government = its item 2.1
    # (40 and 70, weight 1 each; the cancelled task left out), 2.2 (0), 2.3 (done: 100), 2.4 (0)
    assert chart["progress"][0] == pytest.approx((150 + 10 + 100 + 5) / 6)
    assert chart["progress"][1] == pytest.approx((55 + 0 + 100 + 0) / 4)
    units = data["units"]
    stc = units["labels"].index("Department of Finance")
    stc_facts = [TaskFact(f.id, 0, f.weight, f.progress, f.status)
                 for f, t in zip(facts, tasks, strict=True) if t.lead_unit.code == "56.STC"]
    unit_figures, _whole = roll_up([GroupFact(0, None, Decimal(1))], stc_facts)
    assert units["progress"][stc] == pytest.approx(unit_figures[0].progress)
    assert units["progress"][stc] == pytest.approx((40 + 70 + 3 * 50 + 100) / 6)
    by_status = {d["key"]: d["data"][stc] for d in units["datasets"]}
    assert by_status == {"overdue": 1, "due_soon": 1, "in_progress": 1, "not_started": 0,
                         "done_on_time": 1, "done_late": 0, "cancelled": 1}
    assert 'data-testid="group-table"' in page and 'data-testid="unit-table"' in page


# --- the tasks that serve a DTI main indicator ----------------------------------------------


def serving(client: Any, codes: str | None = None, **headers: str) -> Any:
    params = {} if codes is None else {"codes": codes}
    return client.get("/programme/serving/", params, **headers)


def test_serving_lists_the_tasks_per_code_with_counts(client: Any, board: dict[str, Any],
                                                      people: dict[str, Any]) -> None:
    client.force_login(people["coordinator"])
    response = serving(client, "chinh_quyen_so,kinh_te_so", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    blocks = dict(re.findall(r'<div data-code="(\w+)">(.*?)</div>\s*(?=<div data-code|$|\n)',
                             page, re.S))
    b = board
    assert _tasks(blocks["chinh_quyen_so"]) == [b["overdue"].pk, b["soon"].pk]  # not cancelled
    assert "2 tasks, 1 overdue" in blocks["chinh_quyen_so"]
    assert _tasks(blocks["kinh_te_so"]) == [b["other"].pk, b["soon"].pk]
    assert 'data-late="' in blocks["chinh_quyen_so"] and "Overdue" in blocks["chinh_quyen_so"]
    # Without htmx, the same as a page (the fallback link).
    assert "<html" in serving(client, "xa_hoi_so").content.decode()


def test_serving_edge_cases(client: Any, board: dict[str, Any], people: dict[str, Any]) -> None:
    client.force_login(people["coordinator"])
    response = serving(client)
    assert response.status_code == 200 and "No main indicator" in response.content.decode()
    response = serving(client, "khong_co")
    assert response.status_code == 200
    assert "0 tasks, 0 overdue" in response.content.decode()
    response = serving(client, "x'; drop")
    assert response.status_code == 400 and "drop" in response.content.decode()
    assert serving(client, ",".join(f"c{i}" for i in range(30))).status_code == 400


def test_serving_for_visitors_citizens_and_other_units(
        client: Any, board: dict[str, Any], people: dict[str, Any]) -> None:
    response = serving(client, "chinh_quyen_so", HTTP_HX_REQUEST="true",
                       HTTP_HX_CURRENT_URL="http://testserver/rankings/dti-province-922/2022/56/")
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="serving-login"' in page
    assert "/accounts/login/?next=/rankings/dti-province-922/2022/56/" in page
    assert board["overdue"].title not in page
    # a citizen on the public gap page: a note, no tasks, no error behind htmx
    client.force_login(citizen())
    response = serving(client, "chinh_quyen_so", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="serving-login"' in page
    assert board["overdue"].title not in page and "/accounts/login/" not in page
    # Health's reporter reads the tasks Health leads or supports, not Finance's own.
    client.force_login(people["health"])
    page = serving(client, "chinh_quyen_so,xa_hoi_so", HTTP_HX_REQUEST="true").content.decode()
    assert set(_tasks(page)) == {board["overdue"].pk, board["behind"].pk}
    assert "1 task, 1 overdue" in page


# --- queries --------------------------------------------------------------------------------


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/programme/timeline/", "/programme/overdue/",
                                 "/programme/mine/", "/programme/charts/",
                                 "/programme/serving/?codes=chinh_quyen_so"])
def test_boards_read_in_a_fixed_number_of_queries(client: Any, board: dict[str, Any],
                                                  people: dict[str, Any], url: str) -> None:
    client.force_login(people["reporter"])
    group, unit = board["groups"][2], board["overdue"].lead_unit
    health = board["behind"].lead_unit

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            task = programme_task(group, unit, f"9.{i}", start_on=days(-100 + i % 50),
                                  due_on=days(-40 + i % 90), progress=i % 100,
                                  support_units=[health], dti_codes=["chinh_quyen_so"])
            ProgressReport.objects.create(task=task, period="2026Q1", unit=unit,
                                          done_text="x", percent=i % 100)

    add(20, 0)
    _queries(client, url)  # the calendar, built once a minute
    few = _queries(client, url)
    add(180, 20)
    assert _queries(client, url) == few
    assert few <= 8
