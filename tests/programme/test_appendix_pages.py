"""The appendix pages: export, template, the coordinator's upload; and the command line."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import staff_user
from tests.programme.test_appendix import HEADERS, row, xlsx
from tinhso.programme.models import Task
from tinhso.units.models import Unit


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_export_gives_the_tasks_a_reader_may_see(task: Any, people: dict[str, Any],
                                                 reference_units: dict[str, Unit]) -> None:
    plan = task.group.document
    other = Task.objects.create(group=task.group, code="2.2", title="Việc của Sở Y tế",
                                lead_unit=reference_units["56.SYT"], start_on=task.start_on,
                                due_on=task.due_on)
    url = reverse("programme:appendix_export", args=[plan.pk])
    assert url.endswith("/appendix.xlsx")
    response = _client(people["coordinator"]).get(url)
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert 'filename="phu-luc-10633-KH-UBND.xlsx"' in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0]
                .iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS and [r[2] for r in rows[1:]] == ["2.1", "2.2"]
    csv_url = reverse("programme:appendix_export", kwargs={"pk": plan.pk, "fmt": "csv"})
    response = _client(people["health"]).get(csv_url)
    lines = response.content.decode("utf-8-sig").splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert len(lines) == 3  # Health leads 2.2 and supports 2.1
    other.lead_unit = reference_units["56.SNV"]
    other.save()
    assert len(_client(people["health"]).get(csv_url).content.decode().splitlines()) == 2


def test_export_and_template_need_a_programme_role(plan: Any,
                                                   reference_units: dict[str, Unit]) -> None:
    nobody = staff_user(unit=reference_units["56.STC"], username="khongvaitro")
    for url in (reverse("programme:appendix_export", args=[plan.pk]),
                reverse("programme:appendix_template")):
        assert _client(nobody).get(url).status_code == 403
        assert Client().get(url).status_code == 302


def test_the_template_downloads(people: dict[str, Any], khanh_hoa: Unit) -> None:
    response = _client(people["reporter"]).get(reverse("programme:appendix_template"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Phụ lục", "Hướng dẫn", "Đơn vị"]
    units = {r[0]: r[1] for r in workbook["Đơn vị"].iter_rows(values_only=True)}
    assert units["56.STC"] == "Sở Tài chính" and "56.SKHDT" not in units  # merged in 2025


def test_the_upload_page_is_the_coordinators(plan: Any, people: dict[str, Any]) -> None:
    url = reverse("programme:appendix_import", args=[plan.pk])
    assert _client(people["reporter"]).get(url).status_code == 403
    response = _client(people["coordinator"]).get(url)
    assert response.status_code == 200
    assert b'type="file"' in response.content and "Mã nhiệm vụ" in response.content.decode()


def test_an_upload_with_bad_rows_lists_each_problem(plan: Any, group: Any,
                                                    people: dict[str, Any]) -> None:
    content = xlsx([row(code="1", lead="Sở Không Có"), row(code="2", due="01/01/2025")])
    response = _client(people["coordinator"]).post(
        reverse("programme:appendix_import", args=[plan.pk]),
        {"file": SimpleUploadedFile("phu-luc.xlsx", content)})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="upload-errors"' in page, page
    assert "<td>2</td><td>Cơ quan chủ trì</td>" in page
    assert "<td>3</td><td>Hạn hoàn thành</td>" in page
    assert not Task.objects.exists()


def test_a_good_upload_shows_the_counts(plan: Any, group: Any,
                                        people: dict[str, Any]) -> None:
    client = _client(people["coordinator"])
    url = reverse("programme:appendix_import", args=[plan.pk])
    content = xlsx([row(code="1"), row(code="2")])
    checked = client.post(url, {"file": SimpleUploadedFile("a.xlsx", content),
                                "check_only": "on"})
    assert 'data-count="created">2<' in checked.content.decode()
    assert not Task.objects.exists()
    response = client.post(url, {"file": SimpleUploadedFile("a.xlsx", content)})
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-result"' in page
    assert 'data-count="created">2<' in page and Task.objects.count() == 2
    again = client.post(url, {"file": SimpleUploadedFile("a.xlsx", content)}).content.decode()
    assert 'data-count="created">0<' in again and 'data-count="unchanged">2<' in again


# --- the command line ----------------------------------------------------------------------


def test_the_commands_write_the_template_import_and_export(
        plan: Any, group: Any, tmp_path: Path) -> None:
    template = tmp_path / "mau.xlsx"
    out = io.StringIO()
    call_command("programme", "template", str(template), stdout=out)
    assert template.exists() and "mau.xlsx" in out.getvalue()
    appendix = tmp_path / "phu-luc.xlsx"
    appendix.write_bytes(xlsx([row(code=f"2.{i}") for i in range(1, 251)]))
    out, err = io.StringIO(), io.StringIO()
    call_command("programme", "import", str(appendix), "--document", "10633/KH-UBND",
                 "--progress", stdout=out, stderr=err)
    assert "250 rows: 250 tasks created, 0 updated, 0 unchanged" in out.getvalue()
    bar = err.getvalue()
    assert "checking" in bar and "250/250 100%" in bar and "writing" in bar
    exported = tmp_path / "ra.csv"
    out = io.StringIO()
    call_command("programme", "export", str(exported), "--document", "10633/KH-UBND",
                 stdout=out)
    assert "250 tasks" in out.getvalue()
    out, err = io.StringIO(), io.StringIO()
    call_command("programme", "import", str(exported), "--document", "10633/KH-UBND",
                 stdout=out, stderr=err)
    assert "0 tasks created, 0 updated, 250 unchanged" in out.getvalue()
    assert err.getvalue() == ""  # stderr is not a terminal: no bar unless asked


def test_the_import_command_prints_each_problem_and_fails(plan: Any, group: Any,
                                                          tmp_path: Path) -> None:
    appendix = tmp_path / "sai.csv"
    appendix.write_text("Mã nhóm,Mã nhiệm vụ,Nhiệm vụ,Cơ quan chủ trì,Ngày bắt đầu,"
                        "Hạn hoàn thành\n2,1,Việc,56.XYZ,01/01/2026,31/12/2026\n",
                        encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("programme", "import", str(appendix), "--document", "10633/KH-UBND",
                     stderr=err)
    assert "row 2, Cơ quan chủ trì: no unit of code or name '56.XYZ'" in err.getvalue()
    with pytest.raises(CommandError, match="There is no document 1/KH"):
        call_command("programme", "import", str(appendix), "--document", "1/KH")
