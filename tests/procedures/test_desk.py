"""The officers' workspace through its pages: the queue with its marks and filters, receiving at
the desk, a dossier's page and its actions, and who may see what."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import form_for, grant, pdf_upload, staff_user
from tinhso.procedures.models import ApologyLetter, Dossier, DossierFile
from tinhso.procedures.services import dossier_assign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp", "english_pages")]


def _hm(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M %d/%m/%Y}"


def _row(html: str, code: str) -> str:
    """The queue's table row of dossier ``code`` ('' when it is not there)."""
    found = re.search(rf'<tr data-code="{re.escape(code)}">(.*?)</tr>', html, re.S)
    return found.group(1) if found else ""


def _count(html: str, mark: str) -> int:
    found = re.search(rf'data-count="{mark}">(\d+)<', html)
    assert found, mark
    return int(found.group(1))


def _due_later_today(dossier: Dossier) -> None:
    """Move the due time to later today (between now and midnight): the clock is real."""
    now = timezone.localtime()
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=now + (midnight - now) / 2)


def _act(client: Any, dossier: Dossier, action: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(reverse("desk:act", args=[dossier.code, action]), data or {})


def _status(dossier: Dossier) -> str:
    return Dossier.objects.get(pk=dossier.pk).status


# --- the queue ------------------------------------------------------------------------------


def test_the_queue_shows_the_units_open_dossiers_with_due_times_and_marks(client, submit, desk):
    now = timezone.now()
    overdue = submit("Đăng ký khai sinh", at=now - timedelta(days=10))
    today = submit("Đăng ký khai sinh", at=timezone.now())
    _due_later_today(today)
    later = submit("Cấp Giấy xác nhận tình trạng hôn nhân", at=now)  # 3 working days
    elsewhere = submit("Đăng ký khai sinh", unit="22333", at=timezone.now())
    today.refresh_from_db()

    client.force_login(desk["commune"])
    response = client.get(reverse("desk:queue"))
    assert response.status_code == 200
    html = response.content.decode()
    for dossier in (overdue, today, later):
        assert _hm(dossier.due_at) in _row(html, dossier.code)
    assert _row(html, elsewhere.code) == "" and elsewhere.code not in html
    assert 'data-mark="overdue"' in _row(html, overdue.code)
    assert 'data-mark="due-today"' not in _row(html, overdue.code)
    assert 'data-mark="due-today"' in _row(html, today.code)
    assert 'data-mark="overdue"' not in _row(html, today.code)
    assert "data-mark" not in _row(html, later.code)
    assert (_count(html, "overdue"), _count(html, "due-today"), _count(html, "open")) == (1, 1, 3)
    # The earliest due first.
    assert html.index(overdue.code) < html.index(today.code) < html.index(later.code)

    client.force_login(desk["other"])
    html = client.get(reverse("desk:queue")).content.decode()
    assert elsewhere.code in html
    assert overdue.code not in html and today.code not in html and later.code not in html


def test_the_queue_filters_mine_unit_status_and_marks_a_stopped_clock(client, submit, desk,
                                                                     reference_units):
    mine = submit("Đăng ký khai sinh", at=timezone.now())
    theirs = submit("Cấp Giấy xác nhận tình trạng hôn nhân", at=timezone.now())
    dossier_assign(actor=desk["commune"], dossier=mine, unit=reference_units["22366"],
                   officer=desk["commune"])
    client.force_login(desk["commune"])
    client.post(reverse("desk:act", args=[theirs.code, "request_supplement"]),
                {"reason": "Thiếu bản sao giấy tờ tùy thân"})

    html = client.get(reverse("desk:queue"), {"mine": "1"}).content.decode()
    assert _row(html, mine.code) and not _row(html, theirs.code)

    html = client.get(reverse("desk:queue"), {"status": "supplement"}).content.decode()
    assert _row(html, theirs.code) and not _row(html, mine.code)
    assert 'data-mark="clock-stopped"' in _row(html, theirs.code)

    html = client.get(reverse("desk:queue"), {"unit": "22366"}).content.decode()
    assert _row(html, mine.code) and _row(html, theirs.code)
    assert '<option value="22366" selected' in html  # the units in scope with dossiers
    assert '<option value="22333"' not in html
    html = client.get(reverse("desk:queue"), {"unit": "22333"}).content.decode()
    assert not _row(html, mine.code) and not _row(html, theirs.code)


def _copies(dossier: Dossier, n: int, officer: Any) -> None:
    """``n`` more open dossiers like ``dossier``, every other one assigned to ``officer``."""
    Dossier.objects.bulk_create([
        Dossier(procedure=dossier.procedure, unit=dossier.unit, channel=dossier.channel,
                applicant_name=f"Người nộp {i}", applicant_phone="0905123456",
                form_data=dossier.form_data, received_at=dossier.received_at,
                due_at=dossier.due_at + timedelta(hours=i), code=f"{dossier.code}-{i}",
                assigned_unit=dossier.unit if i % 2 else None,
                assigned_to=officer if i % 2 else None)
        for i in range(n)])


def test_the_queue_costs_the_same_few_queries_for_3_or_30_dossiers(
        client, submit, desk, django_assert_max_num_queries):
    first = submit("Đăng ký khai sinh", at=timezone.now())
    client.force_login(desk["commune"])
    _copies(first, 2, desk["commune"])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("desk:queue"))
    _copies(submit("Đăng ký khai sinh", at=timezone.now()), 27, desk["justice"])
    assert Dossier.objects.count() == 31
    with django_assert_max_num_queries(12):
        response = client.get(reverse("desk:queue"))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("desk:queue"))
    assert response.content.decode().count("<tr data-code=") == 31
    assert len(many) == len(few)


def test_a_citizen_is_refused_the_desk_and_a_visitor_asked_to_log_in(client, applicant_user,
                                                                      catalogue):
    response = client.get(reverse("desk:queue"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    client.force_login(applicant_user)
    assert client.get(reverse("desk:queue")).status_code == 403
    assert client.get(reverse("desk:receive")).status_code == 403


# --- receiving at the desk ------------------------------------------------------------------


def _receipt(procedure: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "procedure": procedure.code, "unit": "22366", "channel": "in_person",
        "applicant_name": "Trần Thị Hoa", "applicant_phone": "0914 222 333",
        "applicant_email": "", "digitised": "on",
        **{f"form.{name}": value for name, value in form_for(procedure).items()},
        "doc.to_khai": pdf_upload("to-khai.pdf"),
    }
    data.update(overrides)
    return data


def test_receiving_in_person_creates_the_dossier_and_shows_its_code(client, catalogue, desk):
    procedure = catalogue["Đăng ký khai sinh"]
    client.force_login(desk["commune"])
    chooser = client.get(reverse("desk:receive"))
    assert chooser.status_code == 200 and procedure.code in chooser.content.decode()
    page = client.get(reverse("desk:receive"), {"procedure": procedure.code}).content.decode()
    assert 'name="form.child_name"' in page and 'name="doc.giay_chung_sinh"' in page
    assert '<option value="22366"' in page and '<option value="22333"' not in page

    response = client.post(reverse("desk:receive"), _receipt(procedure), follow=True)
    dossier = Dossier.objects.get()
    assert response.redirect_chain[-1][0] == reverse("desk:detail", args=[dossier.code])
    html = response.content.decode()
    assert dossier.code in html and _hm(dossier.due_at) in html  # in the message
    assert dossier.channel == "in_person" and dossier.status == "received"
    assert dossier.applicant is None and dossier.applicant_phone == "0914222333"
    assert dossier.digitised and dossier.unit.code == "22366"
    assert [(f.kind, f.document) for f in dossier.files.all()] == [("document", "to_khai")]
    assert dossier.events.get().action == "receive"
    assert "Nguyễn Thị Bình" in html  # the form's answers, under their labels
    assert "Họ, chữ đệm và tên người được khai sinh" in html


def test_bad_input_shows_the_errors_by_field_and_creates_nothing(client, catalogue, desk):
    procedure = catalogue["Đăng ký khai sinh"]
    client.force_login(desk["commune"])
    response = client.post(reverse("desk:receive"), _receipt(
        procedure, applicant_name="", applicant_phone="12345", **{
            "form.child_name": "", "form.birth_date": "31/02/2026",
            "doc.to_khai": pdf_upload("to-khai.pdf", b"not a pdf")}))
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("applicant_name", "applicant_phone", "form.child_name", "form.birth_date",
                  "doc.to_khai"):
        assert f'data-field="{field}"' in html, field
    assert "Give the applicant&#x27;s name." in html
    assert "not really a PDF" in html
    assert 'value="Trần Thị Hoa"' not in html and 'value="12345"' in html  # kept as typed
    assert not Dossier.objects.exists()


def test_only_agencies_that_receive_the_procedure_are_offered(client, catalogue, desk):
    client.force_login(desk["justice"])
    page = client.get(reverse("desk:receive"),
                      {"procedure": catalogue["Đăng ký khai sinh"].code}).content.decode()
    assert "You do not receive dossiers of this procedure." in page
    assert 'data-testid="receive-form"' not in page
    response = client.post(reverse("desk:receive"), _receipt(
        catalogue["Đăng ký khai sinh"], unit="56.STP"))
    assert response.status_code == 200 and not Dossier.objects.exists()
    page = client.get(reverse("desk:receive"),
                      {"procedure": catalogue["Cấp Phiếu lý lịch tư pháp"].code}).content.decode()
    assert '<option value="56.STP"' in page


# --- a dossier's page and its actions ---------------------------------------------------------


def test_the_whole_path_through_the_pages(client, submit, desk):
    dossier = submit("Cấp Giấy xác nhận tình trạng hôn nhân", at=timezone.now())
    officer = desk["commune"]
    client.force_login(officer)
    page = client.get(reverse("desk:detail", args=[dossier.code])).content.decode()
    for action in ("assign", "request_supplement", "approve", "refuse", "withdraw"):
        assert f'data-testid="act-{action}"' in page, action
    assert 'data-testid="act-resume"' not in page and 'data-testid="act-return_result"' not in page
    assert 'data-testid="act-apologise"' not in page  # on time: nothing to apologise for

    response = _act(client, dossier, "assign", {"unit": "22366", "officer": str(officer.pk)})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "processing" and dossier.assigned_to == officer

    refused = _act(client, dossier, "request_supplement", {"reason": "  "})
    assert refused.status_code == 400
    assert 'data-field="reason"' in refused.content.decode()
    assert "Give the reason." in refused.content.decode()
    assert _status(dossier) == "processing"

    response = _act(client, dossier, "request_supplement", {"reason": "Thiếu bản sao CCCD"},)
    assert response.status_code == 302 and _status(dossier) == "supplement"
    followed = client.get(response["Location"]).content.decode()
    assert "Supplement requested" in followed and "Thiếu bản sao CCCD" in followed

    assert _act(client, dossier, "resume").status_code == 302
    assert _status(dossier) == "processing"
    assert _act(client, dossier, "approve", {"note": "Đủ điều kiện"}).status_code == 302
    assert _status(dossier) == "approved"

    response = client.post(reverse("desk:act", args=[dossier.code, "return_result"]),
                           {"result": pdf_upload("ket-qua.pdf")})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "returned" and dossier.electronic_result
    result = DossierFile.objects.get(dossier=dossier, kind="result")
    page = client.get(reverse("desk:detail", args=[dossier.code])).content.decode()
    link = reverse("desk:file", args=[dossier.code, result.pk])
    assert link in page and "ket-qua.pdf" in page
    download = client.get(link)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert 'data-testid="act-' not in page  # nothing left to do


def test_refusing_without_a_reason_is_refused_with_a_message(client, submit, desk):
    dossier = submit("Đăng ký khai sinh", at=timezone.now())
    client.force_login(desk["commune"])
    response = _act(client, dossier, "refuse", {"reason": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the reason." in html
    assert re.search(r'<details id="act-refuse" open>', html)
    assert _status(dossier) == "received"
    assert _act(client, dossier, "refuse", {"reason": "Không thuộc thẩm quyền"}
                ).status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "refused" and dossier.refusal_reason == "Không thuộc thẩm quyền"


def test_an_action_the_status_does_not_allow_is_shown_above_its_form(client, submit, desk):
    dossier = submit("Đăng ký khai sinh", at=timezone.now())
    client.force_login(desk["commune"])
    response = _act(client, dossier, "resume")
    assert response.status_code == 400
    assert "is not possible" in response.content.decode()
    assert _status(dossier) == "received"


def test_an_apology_letter_is_offered_only_for_a_late_dossier(client, submit, desk):
    on_time = submit("Cấp Giấy xác nhận tình trạng hôn nhân", at=timezone.now())
    overdue = submit("Đăng ký khai sinh", at=timezone.now() - timedelta(days=10))
    client.force_login(desk["commune"])
    page = client.get(reverse("desk:detail", args=[on_time.code])).content.decode()
    assert 'data-testid="act-apologise"' not in page
    refused = _act(client, on_time, "apologise", {
        "reason": "Chờ xác minh",
        "new_due_at": f"{timezone.localtime() + timedelta(days=3):%Y-%m-%dT%H:%M}"})
    assert refused.status_code == 400 and "is not possible" in refused.content.decode()
    assert not ApologyLetter.objects.filter(dossier=on_time).exists()
    page = client.get(reverse("desk:detail", args=[overdue.code])).content.decode()
    assert 'data-testid="act-apologise"' in page


def test_an_apology_letter_with_a_new_appointment(client, submit, desk):
    dossier = submit("Đăng ký khai sinh", at=timezone.now() - timedelta(days=10))
    client.force_login(desk["commune"])
    bad = _act(client, dossier, "apologise", {"reason": "Chờ xác minh", "new_due_at": "hôm qua"})
    assert bad.status_code == 400 and 'data-field="new_due_at"' in bad.content.decode()
    appointment = timezone.localtime() + timedelta(days=3)
    response = _act(client, dossier, "apologise", {
        "reason": "Chờ xác minh", "new_due_at": f"{appointment:%Y-%m-%dT%H:%M}"})
    assert response.status_code == 302
    letter = ApologyLetter.objects.get(dossier=dossier)
    page = client.get(reverse("desk:detail", args=[dossier.code])).content.decode()
    assert "Chờ xác minh" in page and _hm(letter.new_due_at) in page


def test_an_officer_of_another_unit_neither_sees_nor_acts(client, submit, desk):
    dossier = submit("Đăng ký khai sinh", at=timezone.now())
    document = dossier.files.first()
    client.force_login(desk["other"])
    assert client.get(reverse("desk:detail", args=[dossier.code])).status_code == 404
    assert _act(client, dossier, "approve").status_code == 404
    assert _act(client, dossier, "refuse", {"reason": "x"}).status_code == 404
    assert client.get(reverse("desk:file", args=[dossier.code, document.pk])).status_code == 404
    assert _status(dossier) == "received"


def test_a_leader_sees_the_dossier_without_actions_and_may_not_post_one(client, submit, desk,
                                                                      reference_units):
    dossier = submit("Đăng ký khai sinh", at=timezone.now())
    leader = staff_user(unit=reference_units["22366"], username="chutich")
    grant(leader, "leader", reference_units["22366"])
    client.force_login(leader)
    page = client.get(reverse("desk:detail", args=[dossier.code]))
    assert page.status_code == 200 and 'data-testid="act-' not in page.content.decode()
    assert _act(client, dossier, "approve").status_code == 403
    assert _status(dossier) == "received"
    assert dossier.code in client.get(reverse("desk:queue")).content.decode()
    assert client.get(reverse("desk:receive")).status_code == 403


def test_the_department_sees_a_dossier_assigned_to_it(client, submit, desk, reference_units):
    dossier = submit("Đăng ký khai sinh", at=timezone.now())
    dossier_assign(actor=desk["commune"], dossier=dossier, unit=reference_units["56.STP"])
    client.force_login(desk["justice"])
    assert dossier.code in client.get(reverse("desk:queue")).content.decode()
    assert client.get(reverse("desk:detail", args=[dossier.code])).status_code == 200


def test_the_dossier_page_shows_what_the_applicant_was_told_and_what_is_still_waiting(
        client, submit, desk):
    from tinhso.procedures.models import Notification
    from tinhso.procedures.notifications import deliver

    dossier = submit("Cấp Giấy xác nhận tình trạng hôn nhân", at=timezone.now())
    client.force_login(desk["commune"])

    def delivery_cell() -> str:
        page = client.get(reverse("desk:detail", args=[dossier.code])).content.decode()
        table = page.split('data-testid="notifications"', 1)[1].split("</table>", 1)[0]
        assert f"Dossier {dossier.code} received" in table and "an@example.vn" in table
        return " ".join(table.split())

    assert "waiting to be sent" in delivery_cell()  # the test's transaction never commits
    deliver()
    sent = Notification.objects.get(dossier=dossier)
    assert f"sent {_hm(sent.sent_at)} (email)" in delivery_cell()

    Notification.objects.filter(pk=sent.pk).update(sent_at=None, attempts=2,
                                                   error="sms: gateway unreachable")
    assert ("failed 2 times, will be tried again: sms: gateway unreachable"
            in delivery_cell())
    Notification.objects.filter(pk=sent.pk).update(attempts=Notification.MAX_ATTEMPTS)
    assert "given up after 5 attempts" in delivery_cell()
    client.cookies["django_language"] = "vi"
    page = client.get(reverse("desk:detail", args=[dossier.code])).content.decode()
    assert "Thông báo gửi người nộp hồ sơ" in page and "đã dừng sau 5 lần thử" in page
