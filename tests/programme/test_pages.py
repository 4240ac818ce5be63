"""The programme's main pages: the documents and the tree, a document, a task, evidence files.

Dates are relative to today (the pages count against the real clock): a task due a month ago is
overdue, one due in a year is not started."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.factories import (
    IndicatorFactory,
    citizen,
    grant,
    pdf_upload,
    programme_document,
    programme_task,
    staff_user,
    task_group,
)
from tinhso.indicators.models import IndicatorValue
from tinhso.programme.models import Task
from tinhso.programme.services import report_accept, report_return, report_submit

pytestmark = pytest.mark.django_db

TODAY = date.today()
LONG_AGO = TODAY - timedelta(days=400)
PAST = TODAY - timedelta(days=40)
LATER = TODAY + timedelta(days=300)
PERIOD = f"{TODAY.year}Q1"


def page(client: Any, user: Any, url: str, params: dict[str, str] | None = None,
         **headers: Any) -> str:
    client.force_login(user)
    response = client.get(url, params or {}, **headers)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def pct(text: str) -> str:
    """A percent as the Vietnamese page writes it: '75,0 %' with a no-break space."""
    return text.replace(" %", "\u00a0%")


@pytest.fixture
def programme(reference_units: dict[str, Any]) -> dict[str, Any]:
    """Two groups of weights 2 and 1: in the first, Finance's task at 50 % and Health's done
    one (Finance supports it); in the second, Construction's task at 0 %, overdue."""
    u = reference_units
    resolution = programme_document(u["56"], "16-NQ/TU", kind="resolution",
                                     issuer="Tỉnh ủy Khánh Hòa", issued_on=date(2021, 10, 19))
    plan = programme_document(u["56"], implements=resolution, title="Kế hoạch chuyển đổi số",
                              issued_on=date(2021, 12, 1))
    first = task_group(plan, "1", title="Nền tảng", weight=Decimal(2), area="foundations")
    second = task_group(plan, "2", title="Chính quyền số", weight=Decimal(1),
                        area="digital_government")
    half = programme_task(first, u["56.STC"], "1.1", title="Số hóa hồ sơ thuế", progress=50,
                          start_on=LONG_AGO, due_on=LATER)
    done = programme_task(first, u["56.SYT"], "1.2", title="Bệnh án điện tử", progress=100,
                          done_on=PAST, start_on=LONG_AGO, due_on=LATER,
                          support_units=[u["56.STC"]], result_document="12/BC-SYT")
    late = programme_task(second, u["56.SXD"], "2.1", title="Cấp phép xây dựng trực tuyến",
                          start_on=LONG_AGO, due_on=PAST)
    return {"resolution": resolution, "plan": plan, "first": first, "second": second,
            "half": half, "done": done, "late": late}


# --- who may see what --------------------------------------------------------------------


def test_every_page_answers_the_coordinator(client: Any, people: dict[str, Any],
                                            programme: dict[str, Any]) -> None:
    coordinator = people["coordinator"]
    assert "16-NQ/TU" in page(client, coordinator, "/programme/")
    assert "16-NQ/TU" in page(client, coordinator, f"/programme/documents/{programme['plan'].pk}/")
    assert "Số hóa hồ sơ thuế" in page(client, coordinator,
                                       f"/programme/tasks/{programme['half'].pk}/")


def test_anonymous_goes_to_login_and_a_citizen_is_refused(client: Any, people: dict[str, Any],
                                                          programme: dict[str, Any]) -> None:
    urls = ["/programme/", f"/programme/documents/{programme['plan'].pk}/",
            f"/programme/tasks/{programme['half'].pk}/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(citizen())
    for url in urls:
        assert client.get(url).status_code == 403
    client.force_login(staff_user(unit=people["reporter"].unit))  # staff without a role
    assert client.get("/programme/").status_code == 403


def test_a_finance_reporter_sees_only_the_tasks_finance_leads_or_supports(
        client: Any, people: dict[str, Any], programme: dict[str, Any]) -> None:
    tree = page(client, people["reporter"], "/programme/")
    assert "Số hóa hồ sơ thuế" in tree and "Bệnh án điện tử" in tree
    assert "Cấp phép xây dựng trực tuyến" not in tree
    assert client.get(f"/programme/tasks/{programme['late'].pk}/").status_code == 404
    assert client.get(f"/programme/tasks/{programme['done'].pk}/").status_code == 200
    assert client.get("/programme/tasks/999999/").status_code == 404


def test_the_menu_leads_staff_to_the_programme_and_not_citizens(
        client: Any, people: dict[str, Any], programme: dict[str, Any]) -> None:
    assert 'href="/programme/"' in page(client, people["coordinator"], "/")
    client.logout()
    assert 'href="/programme/"' in client.get("/").content.decode()
    client.force_login(citizen())
    assert 'href="/programme/"' not in client.get("/").content.decode()


# --- the tree ----------------------------------------------------------------------------


def figure(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{re.escape(testid)}">([^<]*)<', html)
    assert found, testid
    return found.group(1)


def test_the_tree_rolls_up_as_by_hand_and_shows_its_terms(
        client: Any, people: dict[str, Any], programme: dict[str, Any]) -> None:
    html = page(client, people["coordinator"], "/programme/")
    # Group 1 = (1 × 50 + 1 × 100) / 2 = 75; group 2 = 0; the plan = (2 × 75 + 1 × 0) / 3 = 50.
    assert figure(html, "group-progress-1") == pct("75,0 %")
    assert figure(html, "group-progress-2") == pct("0,0 %")
    assert figure(html, "whole-progress") == pct("50,0 %")
    assert figure(html, f"doc-progress-{programme['plan'].pk}") == pct("50,0 %")
    formulas = re.findall(r'data-testid="formula">(.*?)</p>', html)
    assert pct("Σ w × p / Σ w = 150,0 / 3 = <strong>50,0 %</strong>") in formulas
    assert pct("Σ w × p / Σ w = 150,0 / 2 = <strong>75,0 %</strong>") in formulas
    assert "1. Nền tảng" in html and "1.1. Số hóa hồ sơ thuế" in html  # the terms are named
    # The counts at the top and the late count of group 2.
    assert figure(html, "count-tasks") == "3"
    assert figure(html, "count-done") == "1"
    assert figure(html, "count-overdue") == "1"
    assert figure(html, "group-late-2").startswith("1 ")
    assert 'data-testid="group-late-1"' not in html
    # Each task: status with its colour, days late, lead unit, due date dd/mm/yyyy.
    assert f'data-task="{programme["late"].pk}" data-status="overdue"' in html
    assert html.count('class="task-status ts-overdue"') == 1
    assert PAST.strftime("%d/%m/%Y") in html
    # The document chain: what implements what, date, issuer.
    assert "19/10/2021" in html and "Tỉnh ủy Khánh Hòa" in html


def test_filters_by_status_area_and_lead_unit(client: Any, people: dict[str, Any],
                                              programme: dict[str, Any]) -> None:
    coordinator = people["coordinator"]
    overdue = page(client, coordinator, "/programme/", {"status": "overdue"})
    statuses = set(re.findall(r'data-status="([a-z_]+)"', overdue))
    assert statuses == {"overdue"}
    assert "Cấp phép xây dựng trực tuyến" in overdue and "Số hóa hồ sơ thuế" not in overdue
    assert 'data-testid="group-1"' not in overdue  # a group with nothing to show is left out
    assert figure(overdue, "count-tasks") == "1"
    area = page(client, coordinator, "/programme/", {"area": "foundations"})
    assert "Số hóa hồ sơ thuế" in area and "Cấp phép xây dựng trực tuyến" not in area
    unit = page(client, coordinator, "/programme/", {"unit": "56.SYT"})
    assert "Bệnh án điện tử" in unit and "Số hóa hồ sơ thuế" not in unit
    # The document page takes the same filters.
    doc = page(client, coordinator, f"/programme/documents/{programme['plan'].pk}/",
               {"status": "done_on_time"})
    assert "Bệnh án điện tử" in doc and "Số hóa hồ sơ thuế" not in doc
    # A filter value that is not one is ignored.
    assert "Số hóa hồ sơ thuế" in page(client, coordinator, "/programme/", {"status": "nope"})


def test_document_page_shows_its_goals_and_the_documents_that_implement_it(
        client: Any, people: dict[str, Any], programme: dict[str, Any],
        reference_units: dict[str, Any]) -> None:
    from tinhso.indicators.models import Target
    from tinhso.programme.models import Goal

    indicator = IndicatorFactory(code="dti_rank", name="Xếp hạng DTI", measure="rank",
                                 direction="lower")
    Target.objects.create(indicator=indicator, unit=reference_units["56"], year=2025,
                          value=25, source="16-NQ/TU")
    Goal.objects.create(document=programme["resolution"], unit=reference_units["56"],
                        year=2025, text="Vào nhóm 25 tỉnh dẫn đầu", target_rank=25,
                        indicator=indicator)
    html = page(client, people["coordinator"],
                f"/programme/documents/{programme['resolution'].pk}/")
    assert "Vào nhóm 25 tỉnh dẫn đầu" in html and "Xếp hạng DTI" in html
    goals = html[html.index('data-testid="goals"'):]
    assert re.search(r">25\s*\(2025\)<", goals)
    related = html[html.index('data-testid="related-documents"'):]
    assert "10633/KH-UBND" in related
    plan = page(client, people["coordinator"], f"/programme/documents/{programme['plan'].pk}/")
    assert 'data-testid="programme-tree"' in plan and "16-NQ/TU" in plan


# --- a task ------------------------------------------------------------------------------


def test_task_page_shows_reports_evidence_history_indicators_and_dti(
        client: Any, people: dict[str, Any], task: Any, reference_units: dict[str, Any]) -> None:
    khanh_hoa = reference_units["56"]
    published = IndicatorFactory(code="online_rate", name="Tỷ lệ DVC trực tuyến")
    IndicatorValue.objects.create(indicator=published, unit=khanh_hoa, period="2024",
                                  value=Decimal("64.06"), source="Báo cáo 123/BC-UBND")
    missing = IndicatorFactory(code="paperless", name="Tỷ lệ họp không giấy")
    task.indicators.set([published, missing])
    first = report_submit(actor=people["reporter"], task=task, period=PERIOD, percent=40,
                          done_text="Đã số hóa 40 % hồ sơ", obstacles="Thiếu máy quét",
                          evidence=[pdf_upload("bien-ban.pdf")])
    report_return(actor=people["coordinator"], report=first, comment="Thiếu số liệu xã")
    second = report_submit(actor=people["reporter"], task=task, period=PERIOD, percent=45,
                           done_text="Bổ sung số liệu của 65 xã")
    report_accept(actor=people["coordinator"], report=second)
    html = page(client, people["coordinator"], f"/programme/tasks/{task.pk}/")
    assert "Đã số hóa 40 % hồ sơ" in html and "Bổ sung số liệu của 65 xã" in html
    assert "Thiếu máy quét" in html and "Thiếu số liệu xã" in html
    evidence = first.evidence.get()
    assert f'href="/programme/evidence/{evidence.pk}/"' in html and "bien-ban.pdf" in html
    assert f'href="#report-{first.pk}"' in html  # the resubmission points to the returned one
    assert figure(html, "task-progress") == pct("45 %")
    history = html[html.index('data-testid="history"'):]
    assert history.count("<tr data-kind=") == 5  # created, reported, returned, reported, accepted
    assert people["coordinator"].display_name in history
    # Linked indicators: the latest value with its period and source, or "not published".
    linked = html[html.index('data-testid="linked-indicators"'):]
    assert pct("64,06 %") in linked and "2024" in linked and "Báo cáo 123/BC-UBND" in linked
    row = linked[linked.index('data-indicator="paperless"'):]
    assert 'data-testid="not-published"' in row[:row.index("</tr>")]
    # The DTI main indicator it serves, by its name in the framework, and the gap page.
    assert "Hoạt động chính quyền số" in html
    assert 'href="/rankings/dti-province-922/2022/56/"' in html
    assert "Sở Tài chính" in html and "Sở Y tế" in html  # lead and supporting units
    assert task.due_on.strftime("%d/%m/%Y") in html


def test_task_page_in_english_and_vietnamese(client: Any, people: dict[str, Any],
                                             task: Any) -> None:
    vi = page(client, people["coordinator"], f"/programme/tasks/{task.pk}/",
              HTTP_ACCEPT_LANGUAGE="vi")
    assert '<html lang="vi">' in vi and "Hoạt động chính quyền số" in vi
    client.cookies["django_language"] = "en"
    en = page(client, people["coordinator"], f"/programme/tasks/{task.pk}/")
    assert '<html lang="en">' in en and "Digital government" in en
    assert "Progress reports" in en and "No report yet." in en
    assert task.due_on.strftime("%Y-%m-%d") in en
    tree = page(client, people["coordinator"], "/programme/")
    assert '<html lang="en">' in tree and "How computed" in tree


def test_overdue_task_counts_its_working_days_late(client: Any, people: dict[str, Any],
                                                   programme: dict[str, Any]) -> None:
    html = page(client, people["coordinator"], f"/programme/tasks/{programme['late'].pk}/")
    assert 'data-status="overdue"' in html and 'data-testid="days-late"' in html
    html = page(client, people["coordinator"], f"/programme/tasks/{programme['half'].pk}/")
    assert 'data-testid="days-left"' in html and 'data-testid="days-late"' not in html
    done = page(client, people["coordinator"], f"/programme/tasks/{programme['done'].pk}/")
    assert "12/BC-SYT" in done


def test_evidence_only_for_who_may_see_the_task(client: Any, people: dict[str, Any], task: Any,
                                                reference_units: dict[str, Any]) -> None:
    report = report_submit(actor=people["reporter"], task=task, period=PERIOD, percent=10,
                           done_text="Khảo sát", evidence=[pdf_upload("khao-sat.pdf")])
    url = f"/programme/evidence/{report.evidence.get().pk}/"
    assert client.get(url).status_code == 302
    for user in (people["coordinator"], people["reporter"], people["health"]):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    outsider = staff_user(unit=reference_units["56.SXD"])
    grant(outsider, "unit_reporter", reference_units["56.SXD"])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(f"/programme/tasks/{task.pk}/").status_code == 404
    client.force_login(citizen())
    assert client.get(url).status_code == 403


# --- size ----------------------------------------------------------------------------------


def many_tasks(group: Any, units: list[Any], count: int) -> None:
    Task.objects.bulk_create(
        Task(group=group, code=f"{group.code}.{n}", title=f"Nhiệm vụ {n}",
             lead_unit=units[n % len(units)], start_on=LONG_AGO,
             due_on=PAST if n % 7 == 0 else LATER, progress=n % 101,
             weight=Decimal(1 + n % 3), position=n)
        for n in range(count))


def test_the_tree_of_5000_tasks_in_a_fixed_number_of_queries(
        client: Any, people: dict[str, Any], reference_units: dict[str, Any],
        django_assert_max_num_queries: Any) -> None:
    u = reference_units
    units = [u["56.STC"], u["56.SYT"], u["56.SXD"], u["56.SKHCN"]]
    plan = programme_document(u["56"])
    groups = [task_group(plan, str(n), weight=Decimal(n)) for n in (1, 2, 3, 4)]
    items = [task_group(plan, f"{g.code}.{m}", parent=g) for g in groups for m in (1, 2)]
    client.force_login(people["coordinator"])
    client.get("/programme/")  # the calendar and the roles are read once per process/request
    urls = ("/programme/", f"/programme/documents/{plan.pk}/",
            f"/programme/?group={groups[0].pk}", "/programme/?status=overdue&unit=56.STC")
    counts = {}
    for total in (48, 5000):
        Task.objects.all().delete()
        for item in items:
            many_tasks(item, units, total // len(items))
        for url in urls:
            with django_assert_max_num_queries(20) as captured:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - started
            assert response.status_code == 200
            counts[(total, url)] = len(captured.captured_queries)
            print(f"{total} tasks {url}: {counts[(total, url)]} queries, {elapsed:.2f} s, "
                  f"{len(response.content) // 1024} KiB")
            assert elapsed < 20  # a shared test machine; typically a few seconds
        html = client.get("/programme/").content.decode()
        # The figures count every task; each group lists 100 and links to the rest.
        assert figure(html, "count-tasks") == f"{total:,}".replace(",", ".")
        assert html.count("<tr data-task=") == min(total // len(items), 100) * len(items)
        assert ('data-testid="all-tasks-1.1"' in html) == (total > 100 * len(items))
        focused = client.get(f"/programme/?group={groups[0].pk}").content.decode()
        assert focused.count("<tr data-task=") == 2 * total // len(items)
    for url in urls:
        assert counts[(48, url)] == counts[(5000, url)], url


def test_large_ids_are_written_without_thousands_separators(
        client: Any, people: dict[str, Any], programme: dict[str, Any],
        reference_units: dict[str, Any]) -> None:
    big = programme_task(programme["first"], reference_units["56.STC"], "1.9", id=123456,
                         start_on=LONG_AGO, due_on=LATER)
    report = report_submit(actor=people["reporter"], task=big, period=PERIOD, percent=5,
                           done_text="Khởi động")
    html = page(client, people["coordinator"], "/programme/")
    assert 'data-task="123456"' in html and 'href="/programme/tasks/123456/"' in html
    html = page(client, people["coordinator"], "/programme/tasks/123456/")
    assert f'id="report-{report.pk}"' in html and "123.456" not in html
