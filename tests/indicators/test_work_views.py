from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.factories import staff_user
from tests.factories.indicators import IndicatorFactory
from tinhso.indicators.models import CollectionRound, Indicator, IndicatorValue, ValueStatus

pytestmark = pytest.mark.django_db



def test_the_whole_path_from_definition_to_approval(client, people, reference_units):
    client.force_login(people["coordinator"])
    response = client.post("/indicators/new/", {
        "code": "paperless_rate", "name": "Tỷ lệ họp không giấy", "measure": "percent",
        "direction": "higher", "period_type": "year", "reporting_levels": ["department"],
        "aggregation": "average", "source_kind": "entered", "task_group": "digital_government",
        "target_unit": "56", "target_year": "2027", "target_value": "90",
    })
    assert response.status_code == 302, response.context["form"].errors
    indicator = Indicator.objects.get(code="paperless_rate")
    assert indicator.targets.get().value == 90
    response = client.post("/indicators/rounds/new/", {
        "title": "Báo cáo năm 2026", "period": "2026", "deadline": "2026-12-15",
        "indicators": [indicator.pk], "units": "56.STC 56.SYT",
    })
    assert response.status_code == 302
    collection = CollectionRound.objects.get()
    client.force_login(people["reporter"])
    page = client.get("/indicators/to-report/").content.decode()
    assert "Báo cáo năm 2026" in page and "56.SYT" not in page
    template = client.get(f"/indicators/rounds/{collection.pk}/template/56.STC.xlsx")
    assert client.get(f"/indicators/rounds/{collection.pk}/template/56.SYT.xlsx"
                      ).status_code == 403
    workbook = load_workbook(io.BytesIO(template.content))
    workbook.worksheets[0]["G2"] = 72.5
    filled = io.BytesIO()
    workbook.save(filled)
    filled.seek(0)
    filled.name = "stc.xlsx"
    response = client.post(f"/indicators/rounds/{collection.pk}/upload/",
                           {"file": filled, "submit": "on"})
    assert response.status_code == 302
    value = IndicatorValue.objects.get()
    assert value.status == ValueStatus.SUBMITTED and value.value == 72.5
    client.force_login(people["approver"])
    assert "Tỷ lệ họp không giấy" in client.get("/indicators/review/").content.decode()
    client.post(f"/indicators/values/{value.pk}/approve/", {"next": "review"})
    value.refresh_from_db()
    assert value.status == ValueStatus.APPROVED
    client.force_login(people["coordinator"])
    board = client.get(f"/indicators/rounds/{collection.pk}/")
    states = {row.unit.code: row.state for row in board.context["board"].units}
    assert states == {"56.STC": "approved", "56.SYT": "not_started"}
    chart = client.get("/indicators/paperless_rate/").context["chart"]
    assert chart["values"] == [72.5]


def test_a_bad_upload_lists_every_problem_and_saves_nothing(client, people, reference_units):
    indicator = Indicator.objects.create(code="skills", name="Kỹ năng số", measure="count")
    collection = CollectionRound.objects.create(title="R", period="2026",
                                                deadline="2026-12-31",
                                                owner_unit=reference_units["56"])
    collection.indicators.set([indicator])
    collection.units.set([reference_units["56.STC"]])
    client.force_login(people["reporter"])
    bad = io.BytesIO(b"indicator,unit,period,value\nskills,56.STC,2026,-3\nskills,56.SYT,2026,4\n")
    bad.name = "bad.csv"
    response = client.post(f"/indicators/rounds/{collection.pk}/upload/", {"file": bad})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="upload-errors"' in page
    assert [(e.row, e.column) for e in response.context["errors"]] == [(2, "Giá trị"),
                                                                        (3, "Mã đơn vị")]
    assert not IndicatorValue.objects.exists()


def test_returning_needs_a_reason(client, people, reference_units):
    indicator = Indicator.objects.create(code="skills", name="Kỹ năng số", measure="count")
    value = IndicatorValue.objects.create(indicator=indicator, unit=reference_units["56.STC"],
                                          period="2026", value=1, source="t",
                                          status=ValueStatus.SUBMITTED)
    client.force_login(people["approver"])
    client.post(f"/indicators/values/{value.pk}/return/", {"reason": ""})
    value.refresh_from_db()
    assert value.status == ValueStatus.SUBMITTED
    client.post(f"/indicators/values/{value.pk}/return/", {"reason": "Sai số liệu"})
    value.refresh_from_db()
    assert value.status == ValueStatus.RETURNED


def test_pages_refuse_the_wrong_roles(client, people):
    client.force_login(people["reporter"])
    assert client.get("/indicators/new/").status_code == 403
    assert client.get("/indicators/review/").status_code == 403
    client.force_login(people["approver"])
    assert client.get("/indicators/rounds/new/").status_code == 403


def test_a_value_page_shows_history_and_takes_evidence(client, people, reference_units,
                                                       settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    indicator = Indicator.objects.create(code="skills", name="Kỹ năng số", measure="count")
    client.force_login(people["reporter"])
    from tinhso.indicators.services import value_save

    value = value_save(actor=people["reporter"], indicator=indicator,
                       unit=reference_units["56.STC"], period="2026", value=10)
    pdf = SimpleUploadedFile("minh-chung.pdf", b"%PDF-1.7 evidence")
    response = client.post(f"/indicators/values/{value.pk}/", {"file": pdf})
    assert response.status_code == 302
    client.post(f"/indicators/values/{value.pk}/submit/")
    page = client.get(f"/indicators/values/{value.pk}/").content.decode()
    assert "minh-chung.pdf" in page
    assert page.count("<li>") >= 3  # saved, evidence added, submitted
    evidence = value.evidence.get()
    download = client.get(f"/indicators/evidence/{evidence.pk}/")
    assert b"".join(download.streaming_content) == b"%PDF-1.7 evidence"
    other = staff_user(unit=reference_units["58"])
    client.force_login(other)
    assert client.get(f"/indicators/values/{value.pk}/").status_code == 403
    assert client.get(f"/indicators/evidence/{evidence.pk}/").status_code == 403


def test_the_round_form_names_each_indicator_with_its_measure_by_task_group(client, people):
    IndicatorFactory(code="paperless_rate", name="Tỷ lệ họp không giấy",
                     task_group="digital_government")
    IndicatorFactory(code="fibre_households", name="Hộ gia đình có cáp quang",
                     measure="count", task_group="digital_society")
    client.cookies["django_language"] = "en"
    client.force_login(people["coordinator"])
    page = client.get("/indicators/rounds/new/").content.decode()
    boxes = page[page.index('data-testid="round-indicators"'):]
    assert "paperless_rate — Tỷ lệ họp không giấy (Percent)" in boxes
    assert "fibre_households — Hộ gia đình có cáp quang (Count)" in boxes
    assert boxes.index("Digital government") < boxes.index("paperless_rate")
    assert boxes.index("Digital society") < boxes.index("fibre_households")
