"""The programme through the API: documents (public), the groups' roll-up, tasks with their
derived status and filters, progress reports filed, returned and accepted, with the web's
permissions, and bad input answered with the field it concerns."""

from __future__ import annotations

import base64
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile

from tests.factories import (
    PDF,
    IndicatorFactory,
    citizen,
    grant,
    programme_document,
    programme_task,
    staff_user,
    task_group,
)
from tinhso.accounts.permissions import SYSTEM
from tinhso.accounts.services import api_token_create
from tinhso.programme import schedule
from tinhso.programme.models import Goal, Task, TaskEvent
from tinhso.programme.selectors import clock, task_status
from tinhso.programme.services import task_create

pytestmark = pytest.mark.django_db
API = "/api/v1/programme"


def auth(user: Any) -> dict[str, str]:
    _, raw = api_token_create(actor=user, user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def get(client: Any, path: str, user: Any = None, **params: Any) -> Any:
    return client.get(f"{API}/{path}", params, **(auth(user) if user else {}))


def post(client: Any, path: str, user: Any, body: Any = None) -> Any:
    return client.post(f"{API}/{path}", body or {}, content_type="application/json",
                       **auth(user))


def fields(response: Any) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


@pytest.fixture
def clk() -> Any:
    return clock()


@pytest.fixture
def programme(reference_units: Any, clk: Any) -> dict[str, Any]:
    """Plan 10633/KH-UBND implementing Resolution 16-NQ/TU; group 2 with item 2.1; five tasks
    of every kind of status, led by Finance (one supported by Health), Health, Information."""
    u, today = reference_units, clk.today
    resolution = programme_document(u["56"], "16-NQ/TU", kind="resolution",
                                    issuer="Tỉnh ủy Khánh Hòa")
    plan = programme_document(u["56"], implements=resolution)
    Goal.objects.create(document=resolution, unit=u["56"], year=2025, text="Top 25",
                        target_rank=25)
    group = task_group(plan, "2", title="Chính quyền số", area="digital_government")
    item = task_group(plan, "2.1", title="Dữ liệu", parent=group)
    other = task_group(plan, "3", title="Kinh tế số")
    ago, ahead = today - timedelta(days=60), today + timedelta(days=200)
    tasks = {
        "late": programme_task(item, u["56.STC"], "2.1.1", start_on=today - timedelta(days=300),
                               due_on=ago, progress=40, weight=Decimal(1),
                               support_units=[u["56.SYT"]], dti_codes=["chinh_quyen_so"]),
        "soon": programme_task(group, u["56.STC"], "2.2", start_on=ago,
                               due_on=clk.due_soon_limit, progress=80, weight=Decimal(3)),
        "later": programme_task(other, u["56.SYT"], "3.1", start_on=today, due_on=ahead),
        "done": programme_task(other, u["56.SYT"], "3.2", start_on=ago - timedelta(days=30),
                               due_on=ago, done_on=ago, progress=100,
                               result_document="12/QĐ-UBND"),
        "cancelled": programme_task(other, u["56.STC"], "3.3", start_on=ago, due_on=ahead,
                                    cancelled_on=today, cancel_reason="Trùng nhiệm vụ"),
    }
    return {"resolution": resolution, "plan": plan, "group": group, "item": item,
            "other": other, **tasks}


@pytest.fixture
def task(programme: dict[str, Any], reference_units: Any) -> Task:
    """A task made by the service (so it has a history), led by Finance, Health supporting."""
    u, today = reference_units, clock().today
    return task_create(actor=SYSTEM, group=programme["group"], code="2.3",
                       title="Số hóa hồ sơ thủ tục hành chính", lead_unit=u["56.STC"],
                       support_units=[u["56.SYT"]], start_on=today - timedelta(days=100),
                       due_on=today + timedelta(days=100))


def period(clk: Any) -> str:
    return schedule.period_to_report(clk.today, clk.rule).code


def evidence(name: str = "bien-ban.pdf", content: bytes = PDF) -> dict[str, str]:
    return {"name": name, "content_base64": base64.b64encode(content).decode()}


# --- documents -----------------------------------------------------------------------------


def test_documents_are_public_with_their_chain_goals_and_file(client, programme):
    plan, resolution = programme["plan"], programme["resolution"]
    plan.file.save("kh-10633.pdf", ContentFile(PDF))
    body = client.get(f"{API}/documents/").json()
    assert [d["number"] for d in body["items"]] == ["16-NQ/TU", "10633/KH-UBND"]
    listed = body["items"][1]
    assert listed["implements"] == {"id": resolution.pk, "number": "16-NQ/TU"}
    assert listed["unit"] == "56" and listed["issued_on"] == "2020-10-07"
    detail = client.get(f"{API}/documents/{resolution.pk}/").json()
    assert detail["implemented_by"] == [{"id": plan.pk, "number": "10633/KH-UBND"}]
    assert detail["goals"][0]["target_rank"] == 25 and detail["file_url"] is None
    download = client.get(listed["file_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert client.get(f"{API}/documents/", {"kind": "resolution"}).json()["count"] == 1
    assert client.get(f"{API}/documents/{resolution.pk}/file/").status_code == 404
    assert client.get(f"{API}/documents/999999/").status_code == 404


# --- who reads what ------------------------------------------------------------------------


def test_staff_reads_need_sign_in_and_a_programme_role(client, programme, people,
                                                       reference_units):
    for path in ("tasks/", f"tasks/{programme['late'].pk}/", "reports/",
                 f"groups/?document={programme['plan'].pk}",
                 f"documents/{programme['plan'].pk}/progress/"):
        assert client.get(f"{API}/{path}").status_code == 401, path
        assert client.get(f"{API}/{path}", **auth(citizen())).status_code == 403, path
        nobody = staff_user(unit=reference_units["56.STC"])
        assert client.get(f"{API}/{path}", **auth(nobody)).status_code == 403, path


def test_a_unit_reads_the_tasks_it_leads_or_supports_only(client, programme, people):
    every = get(client, "tasks/", people["coordinator"]).json()
    assert every["count"] == 5
    finance = get(client, "tasks/", people["reporter"]).json()
    assert {t["code"] for t in finance["items"]} == {"2.1.1", "2.2", "3.3"}
    health = get(client, "tasks/", people["health"]).json()
    assert {t["code"] for t in health["items"]} == {"2.1.1", "3.1", "3.2"}
    hidden = programme["soon"].pk
    assert get(client, f"tasks/{hidden}/", people["health"]).status_code == 404
    response = post(client, f"tasks/{hidden}/reports/", people["health"],
                    {"period": "2026Q1", "percent": 10, "done_text": "x"})
    assert response.status_code == 404
    # The health reporter's group figures count only the tasks Health may read.
    groups = get(client, "groups/", people["health"], document="10633/KH-UBND").json()
    assert {g["code"]: g["tasks"] for g in groups["items"]} == {"2": 1, "2.1": 1, "3": 2}


# --- tasks ---------------------------------------------------------------------------------


def test_statuses_and_days_late_are_the_one_rule(client, programme, people, clk):
    body = get(client, "tasks/", people["coordinator"]).json()
    for item in body["items"]:
        task = Task.objects.get(pk=item["id"])
        assert item["status"] == task_status(task, clk)
        expected = (schedule.days_late(task.due_on, clk.today, clk.cal)
                    if item["status"] == schedule.OVERDUE else 0)
        assert item["days_late"] == expected
    by_code = {t["code"]: t for t in body["items"]}
    assert {c: t["status"] for c, t in by_code.items()} == {
        "2.1.1": "overdue", "2.2": "due_soon", "3.1": "not_started", "3.2": "done_on_time",
        "3.3": "cancelled"}
    late = by_code["2.1.1"]
    assert late["days_late"] >= 40 and late["support_units"][0]["code"] == "56.SYT"
    assert late["group"]["code"] == "2.1" and late["document"]["number"] == "10633/KH-UBND"
    assert by_code["3.3"]["cancel_reason"] == "Trùng nhiệm vụ"
    overdue = get(client, "tasks/", people["coordinator"], overdue="true").json()
    assert [t["code"] for t in overdue["items"]] == ["2.1.1"]
    others = get(client, "tasks/", people["coordinator"], overdue="false").json()
    assert others["count"] == 4


def test_lists_take_a_fixed_number_of_queries(client, programme, people, reference_units):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = auth(people["coordinator"])

    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{API}/{path}", **headers).status_code == 200
        return len(queries)

    paths = ["tasks/", f"groups/?document={programme['plan'].pk}", "reports/"]
    [count(path) for path in paths]  # the token's first use and the calendar are kept
    before = [count(path) for path in paths]
    for n in range(20):
        programme_task(programme["item"], reference_units["56.SYT"], f"9.{n}",
                       support_units=[reference_units["56.STC"]])
    assert [count(path) for path in paths] == before


@pytest.mark.parametrize(("params", "codes"), [
    ({"unit": "56.SYT"}, {"2.1.1", "3.1", "3.2"}),
    ({"lead_unit": "56.SYT"}, {"3.1", "3.2"}),
    ({"document": "10633/KH-UBND", "group": "2"}, {"2.1.1", "2.2"}),
    ({"document": "10633/KH-UBND", "group": "2.1"}, {"2.1.1"}),
    ({"status": "due_soon"}, {"2.2"}),
    ({"status": "done_on_time"}, {"3.2"}),
    ({"dti": "chinh_quyen_so"}, {"2.1.1"}),
    ({"dti": "chinh_quyen"}, set()),
])
def test_filters(client, programme, people, params, codes):
    body = get(client, "tasks/", people["coordinator"], **params).json()
    assert {t["code"] for t in body["items"]} == codes


def test_filters_by_id_dates_and_indicator(client, programme, people, clk):
    coordinator = people["coordinator"]
    group = programme["other"]
    assert get(client, "tasks/", coordinator, group=group.pk).json()["count"] == 3
    assert get(client, "tasks/", coordinator,
               document=programme["resolution"].pk).json()["count"] == 0
    cutoff = clk.today - timedelta(days=1)
    for value in (cutoff.isoformat(), cutoff.strftime("%d/%m/%Y")):
        body = get(client, "tasks/", coordinator, due_before=value).json()
        assert {t["code"] for t in body["items"]} == {"2.1.1", "3.2"}
    body = get(client, "tasks/", coordinator, due_after=clk.today.strftime("%d/%m/%Y")).json()
    assert {t["code"] for t in body["items"]} == {"2.2", "3.1", "3.3"}
    rate = IndicatorFactory(code="paperless_rate")
    programme["soon"].indicators.add(rate)
    body = get(client, "tasks/", coordinator, indicator="paperless_rate").json()
    assert [t["code"] for t in body["items"]] == ["2.2"]
    assert body["items"][0]["indicators"] == ["paperless_rate"]


@pytest.mark.parametrize(("params", "field"), [
    ({"due_before": "31/02/2026"}, "due_before"),
    ({"due_after": "tomorrow"}, "due_after"),
    ({"status": "late-ish"}, "status"),
    ({"overdue": "maybe"}, "overdue"),
    ({"limit": "-1"}, "limit"),
    ({"offset": "-5"}, "offset"),
    ({"limit": "99999999999999999999999"}, "limit"),
    ({"group": "abc"}, "group"),
    ({"dti": "a\", \"b"}, "dti"),
])
def test_bad_filters_are_422_naming_the_parameter(client, programme, people, params, field):
    response = get(client, "tasks/", people["coordinator"], **params)
    assert response.status_code == 422, response.content
    assert field in fields(response)


@pytest.mark.parametrize(("params", "field"), [
    ({"due_after": "2026-01-01\x00"}, "due_after"),
    ({"unit": "56\x00"}, "unit"),
])
def test_a_nul_in_a_filter_is_400_naming_the_parameter(client, programme, people, params,
                                                       field):
    """No field takes a NUL: the input middleware refuses it before the API (core.middleware)."""
    response = get(client, "tasks/", people["coordinator"], **params)
    assert response.status_code == 400, response.content
    assert field in fields(response)


def test_odd_references_are_not_found_never_a_crash(client, programme, people):
    coordinator = people["coordinator"]
    for path, params in [("tasks/", {"unit": "99.XXX"}), ("tasks/", {"indicator": "nope"}),
                         ("tasks/", {"document": "1/KH-XYZ"}),
                         ("tasks/", {"document": "99999999999999999999999"}),
                         ("tasks/", {"group": "99999999999999999999999"}),
                         ("tasks/99999999999999999999999/", {}),
                         ("reports/99999999999999999999999/", {}),
                         ("groups/", {"document": "99999999999999999999999"})]:
        response = get(client, path, coordinator, **params)
        assert response.status_code == 404, (path, params, response.content)
    past = get(client, "tasks/", coordinator, offset=10**9)  # the highest offset lists taken
    assert past.status_code == 200 and past.json()["items"] == []
    assert get(client, "tasks/", coordinator, offset=10**12).status_code == 422
    assert get(client, "reports/", coordinator, task=10**25).status_code == 422
    assert get(client, "groups/", coordinator, document="x\x00").status_code == 400
    assert get(client, "groups/", coordinator).status_code == 422


# --- groups --------------------------------------------------------------------------------


def test_groups_are_a_flat_tree_with_the_roll_up(client, programme, people):
    body = get(client, "groups/", people["coordinator"], document=programme["plan"].pk).json()
    rows = {g["code"]: g for g in body["items"]}
    assert [g["code"] for g in body["items"]] == ["2", "2.1", "3"]
    assert rows["2.1"]["parent"] == programme["group"].pk and rows["2.1"]["depth"] == 1
    # By hand: item 2.1 holds one task at 40 %, weight 1; group 2 = (1 × 40 + 3 × 80) / 4.
    assert rows["2.1"]["progress"] == 40.0
    assert rows["2"]["progress"] == 70.0 and Decimal(rows["2"]["weight_total"]) == 4
    assert {(t["kind"], float(t["weight"]), t["progress"]) for t in rows["2"]["terms"]} == {
        ("group", 1.0, 40.0), ("task", 3.0, 80.0)}
    assert rows["2"]["late"] == 1 and rows["2"]["counts"]["due_soon"] == 1
    # Group 3: the done task counts 100, the new one 0, the cancelled one not at all.
    assert rows["3"]["progress"] == 50.0 and rows["3"]["counts"]["cancelled"] == 1
    whole = get(client, f"documents/{programme['plan'].pk}/progress/",
                people["coordinator"]).json()
    assert whole["progress"] == 60.0 and whole["tasks"] == 5 and whole["late"] == 1


# --- reports -------------------------------------------------------------------------------


def test_report_returned_resubmitted_accepted(client, task, people, clk, reference_units):
    reporter, coordinator = people["reporter"], people["coordinator"]
    response = post(client, f"tasks/{task.pk}/reports/", reporter, {
        "period": period(clk), "percent": 40, "done_text": "Đã số hóa 40 % hồ sơ",
        "obstacles": "Thiếu máy quét", "evidence": [evidence()]})
    assert response.status_code == 201, response.content
    first = response.json()
    assert first["status"] == "submitted" and first["unit"]["code"] == "56.STC"
    assert first["evidence"][0]["name"] == "bien-ban.pdf"
    # The reporter may not decide; the coordinator returns it with a comment.
    assert post(client, f"reports/{first['id']}/accept/", reporter).status_code == 403
    response = post(client, f"reports/{first['id']}/return/", coordinator,
                    {"comment": "Thiếu số liệu xã"})
    assert response.status_code == 200 and response.json()["status"] == "returned"
    assert response.json()["decided_by"] == "dieuphoi"
    second = post(client, f"tasks/{task.pk}/reports/", reporter, {
        "period": period(clk), "percent": 45, "done_text": "Bổ sung số liệu"}).json()
    assert second["previous"] == first["id"]
    waiting = get(client, "reports/", coordinator, status="submitted").json()
    assert [r["id"] for r in waiting["items"]] == [second["id"]]
    response = post(client, f"reports/{second['id']}/accept/", coordinator)
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    detail = get(client, f"tasks/{task.pk}/", coordinator).json()
    assert detail["progress"] == 45 and [r["id"] for r in detail["reports"]] == [
        first["id"], second["id"]]
    assert [e["kind"] for e in detail["history"]] == [
        "created", "reported", "returned", "reported", "accepted"]
    assert detail["history"][2]["note"] == "Thiếu số liệu xã"
    assert TaskEvent.objects.filter(task=task).count() == 5
    # The evidence is downloaded by those who read the task, not by others.
    url = first["evidence"][0]["url"]
    download = client.get(url, **auth(coordinator))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    outsider = staff_user(unit=reference_units["56.SGDDT"])
    grant(outsider, "unit_reporter", outsider.unit)
    assert client.get(url, **auth(outsider)).status_code == 404
    assert get(client, f"reports/{first['id']}/", outsider).status_code == 404


def test_nobody_decides_on_their_own_report(client, task, people, reference_units, clk):
    reporter = people["reporter"]
    grant(reporter, "coordinator", reference_units["56"])
    report = post(client, f"tasks/{task.pk}/reports/", reporter,
                  {"period": period(clk), "percent": 30, "done_text": "Đã làm"}).json()
    response = post(client, f"reports/{report['id']}/accept/", reporter)
    assert response.status_code == 403 and response.json()["detail"]
    assert post(client, f"reports/{report['id']}/return/", reporter,
                {"comment": "x"}).status_code == 403
    assert get(client, f"reports/{report['id']}/", reporter).json()["status"] == "submitted"


def test_a_supporting_unit_adds_its_part_and_the_coordinator_cannot_report(client, task,
                                                                            people, clk):
    response = post(client, f"tasks/{task.pk}/reports/", people["health"], {
        "period": period(clk), "done_text": "Cung cấp dữ liệu y tế", "unit": "56.SYT"})
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "support" and response.json()["percent"] is None
    response = post(client, f"tasks/{task.pk}/reports/", people["coordinator"], {
        "period": period(clk), "percent": 10, "done_text": "x"})
    assert response.status_code == 403
    listed = get(client, "reports/", people["reporter"], task=task.pk, unit="56.SYT").json()
    assert listed["count"] == 1


def test_closing_with_output_and_dates_in_vietnamese_form(client, task, people, clk):
    response = post(client, f"tasks/{task.pk}/reports/", people["reporter"], {
        "period": period(clk), "percent": 100, "done_text": "Hoàn thành",
        "completed_on": clk.today.strftime("%d/%m/%Y"), "result_document": "45/QĐ-UBND"})
    assert response.status_code == 201, response.content
    post(client, f"reports/{response.json()['id']}/accept/", people["coordinator"])
    detail = get(client, f"tasks/{task.pk}/", people["coordinator"]).json()
    assert detail["status"] == "done_on_time" and detail["result_document"] == "45/QĐ-UBND"
    assert detail["done_on"] == clk.today.isoformat() and detail["report_as"] == []


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"percent": 150}, 422, "percent"),
    ({"percent": 10**30}, 422, "percent"),
    ({"percent": -1}, 422, "percent"),
    ({"percent": "lots"}, 422, "percent"),
    ({"done_text": "bad\x00text"}, 422, "done_text"),
    ({"done_text": ""}, 400, "done_text"),
    ({"period": "2026Q9"}, 400, "period"),
    ({"period": "2099Q1"}, 400, "period"),
    ({"period": "x" * 500}, 422, "period"),
    ({"percent": 100}, 400, "completed_on"),
    ({"percent": 100, "completed_on": "2026-01-01"}, 400, "result_document"),
    ({"completed_on": "31/13/2026"}, 422, "completed_on"),
    ({"result_document": "not a number"}, 400, "result_document"),
    ({"unit": "99.XXX"}, 400, "unit"),
    ({"unit": "56.SGDDT"}, 400, "unit"),
    ({"evidence": [{"name": "a.pdf", "content_base64": "%%%"}]}, 400,
     "evidence.0.content_base64"),
    ({"evidence": [evidence("a.pdf", b"MZ not a pdf")]}, 400, "evidence"),
    ({"evidence": [evidence("a.exe")]}, 400, "evidence"),
    ({"evidence": [evidence("a\x00.pdf")]}, 422, "evidence.0.name"),
])
def test_bad_reports_name_the_field_and_write_nothing(client, task, people, clk, body,
                                                       status, field):
    values = {"period": period(clk), "percent": 20, "done_text": "Đã làm", **body}
    response = post(client, f"tasks/{task.pk}/reports/", people["reporter"], values)
    assert response.status_code == status, response.content
    assert field in fields(response)
    assert not task.reports.exists()


def test_progress_going_back_needs_a_reason_and_decisions_need_a_comment(client, task, people,
                                                                         clk):
    task.progress = 50
    task.save()
    body = {"period": period(clk), "percent": 30, "done_text": "Làm lại phần mềm"}
    response = post(client, f"tasks/{task.pk}/reports/", people["reporter"], body)
    assert response.status_code == 400 and fields(response) == {"regression_reason"}
    body["regression_reason"] = "Nhà thầu thay đổi"
    report = post(client, f"tasks/{task.pk}/reports/", people["reporter"], body).json()
    response = post(client, f"reports/{report['id']}/return/", people["coordinator"])
    assert response.status_code == 400 and fields(response) == {"comment"}
    post(client, f"reports/{report['id']}/accept/", people["coordinator"])
    response = post(client, f"reports/{report['id']}/accept/", people["coordinator"])
    assert response.status_code == 400 and fields(response) == {"status"}


def test_a_cancelled_task_takes_no_report(client, programme, people, clk):
    response = post(client, f"tasks/{programme['cancelled'].pk}/reports/", people["reporter"],
                    {"period": period(clk), "percent": 20, "done_text": "x"})
    assert response.status_code == 400 and fields(response) == {"task"}


# --- done when -----------------------------------------------------------------------------


def test_the_demo_overdue_tasks_are_exactly_those_the_api_lists(client):
    from tinhso.accounts.models import User
    from tinhso.demo.loader import demo_load

    demo_load(actor=SYSTEM)
    assert Task.objects.exists(), "the demo has no programme tasks yet (issue 10, point 9)"
    clk = clock()
    expected = {t.pk for t in Task.objects.all() if task_status(t, clk) == schedule.OVERDUE}
    assert expected, "the demo has tasks but none is overdue today"
    coordinator = User.objects.get(username="dieuphoi")
    body = get(client, "tasks/", coordinator, overdue="true", limit=1000).json()
    assert body["count"] == len(body["items"])
    assert {t["id"] for t in body["items"]} == expected
    assert all(t["days_late"] > 0 for t in body["items"])
