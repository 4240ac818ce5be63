"""Importing the national procedure database's export: idempotent, a changed field a new
version from the given date, bad files refused whole with every problem by row and column."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.factories import grant, staff_user
from tests.procedures.conftest import VN
from tinhso.audit.models import AuditEvent
from tinhso.core.imports import ImportRejected
from tinhso.procedures import versions
from tinhso.procedures.catalogue_generate import (
    ILLUSTRATIVE_PREFIX,
    illustrative_csv,
    illustrative_rows,
    illustrative_xlsx,
)
from tinhso.procedures.models import Procedure, ProcedureVersion
from tinhso.procedures.services import Applicant, dossier_receive
from tinhso.procedures.services.catalogue import Decision
from tinhso.procedures.services.catalogue_import import catalogue_import

pytestmark = pytest.mark.django_db

DECISION = Decision("1234/QĐ-UBND", effective_from=date(2026, 1, 1),
                    decision_date=date(2025, 12, 20))


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def test_an_illustrative_catalogue_of_2000_procedures_imports_once(people):
    content = illustrative_xlsx(2000)
    progress: list[tuple[str, int, int]] = []
    first = catalogue_import("danh-muc.xlsx", content, actor=people["coordinator"],
                             decision=DECISION, progress=lambda *a: progress.append(a))
    assert (len(first.created), len(first.changed), first.unchanged) == (2000, 0, 0)
    assert progress[0] == ("checking", 500, 2000) and ("checking", 2000, 2000) in progress
    assert Procedure.objects.filter(code__startswith=ILLUSTRATIVE_PREFIX).count() == 2000
    assert ProcedureVersion.objects.count() == 2000
    commune = Procedure.objects.get(code=f"{ILLUSTRATIVE_PREFIX}00002")
    assert (commune.level, commune.online_level, commune.time_rule) == (
        "commune", "partial", {"type": "working_days", "days": 3})
    assert [d["name"] for d in commune.required_documents] == [
        "Tờ khai", "Bản sao giấy tờ tùy thân"]
    events = AuditEvent.objects.filter(action="catalogue.imported").count()
    # the same file again changes nothing
    again = catalogue_import("danh-muc.xlsx", content, actor=people["coordinator"],
                             decision=Decision("9/QĐ-UBND", effective_from=date(2026, 6, 1)))
    assert (len(again.created), len(again.changed), again.unchanged) == (0, 0, 2000)
    assert ProcedureVersion.objects.count() == 2000
    assert AuditEvent.objects.filter(action="catalogue.imported").count() == events


def test_a_changed_time_limit_is_a_new_version_from_its_date(people, reference_units):
    actor = people["coordinator"]
    catalogue_import("a.csv", illustrative_csv(6), actor=actor, decision=DECISION)
    report = catalogue_import(
        "b.csv", illustrative_csv(6, changed=frozenset({4})), actor=actor,
        decision=Decision("77/QĐ-UBND", effective_from=date(2026, 11, 20)))
    code = f"{ILLUSTRATIVE_PREFIX}00005"  # commune level, "15 ngày" before
    assert report.changed == {code: ["time_limit", "time_rule"]} and report.unchanged == 5
    procedure = Procedure.objects.get(code=code)
    [second, first] = versions.history(procedure)
    assert (second.effective_from, second.decision_number) == (date(2026, 11, 20), "77/QĐ-UBND")
    assert first.time_limit == "15 ngày" and second.time_limit == "30 ngày làm việc"
    officer = staff_user(unit=reference_units["22366"], username="motcua")
    grant(officer, "officer", reference_units["22366"])

    def receive(at: datetime) -> datetime:
        return dossier_receive(actor=officer, procedure=procedure,
                               unit=reference_units["22366"], channel="in_person",
                               applicant=Applicant("Lê Thị Bình", "0905123456"),
                               form_data={}, now=at).due_at.astimezone(VN)

    # received Tuesday 17/11: 15 calendar days, due at the end of Wednesday 02/12
    assert receive(datetime(2026, 11, 17, 9, 0, tzinfo=VN)) == datetime(
        2026, 12, 2, 17, 0, tzinfo=VN)
    # received Monday 23/11: 30 working days (24/11 off) from then
    assert receive(datetime(2026, 11, 23, 9, 0, tzinfo=VN)) == datetime(
        2027, 1, 6, 9, 0, tzinfo=VN)


def test_english_column_names_are_read_too(people):
    rows = illustrative_rows(2)
    rows[0] = ["code", "name", "field", "level of government", "agencies", "time limit",
               "fee", "legal basis", "online level", "required documents"]
    report = catalogue_import("en.csv", _csv(rows), actor=people["coordinator"],
                              decision=DECISION)
    assert len(report.created) == 2


def _refused(people, rows: list[list[str]]) -> list[str]:
    before = (Procedure.objects.count(), ProcedureVersion.objects.count())
    with pytest.raises(ImportRejected) as refused:
        catalogue_import("bad.csv", _csv(rows), actor=people["coordinator"], decision=DECISION)
    assert (Procedure.objects.count(), ProcedureVersion.objects.count()) == before
    return [str(e) for e in refused.value.errors]


def test_an_unknown_or_missing_column_refuses_the_file(people):
    rows = illustrative_rows(3)
    rows[0][2] = "Ghi chú"
    assert _refused(people, rows) == [
        "row 1, Ghi chú: unknown column (the columns are: Mã thủ tục, Tên thủ tục, Lĩnh vực, "
        "Cấp thực hiện, Cơ quan thực hiện, Thời hạn giải quyết, Phí, lệ phí, Căn cứ pháp lý, "
        "Mức độ dịch vụ công trực tuyến, Thành phần hồ sơ)",
        "row 1, Lĩnh vực: missing column"]


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_written(people):
    rows = illustrative_rows(5)
    rows[2][5] = "tùy trường hợp"  # time limit, row 3 of the file
    rows[3][8] = "Mức độ 4"  # online level, row 4
    rows[4][3] = "Cấp huyện"  # level, row 5
    rows[5][0] = rows[1][0]  # row 6 repeats row 2's code
    rows[5][1] = ""  # and has no name
    problems = _refused(people, rows)
    assert problems[0].startswith("row 3, Thời hạn giải quyết: the platform cannot read the "
                                  "time limit 'tùy trường hợp'")
    assert problems[1].startswith("row 4, Mức độ dịch vụ công trực tuyến: 'Mức độ 4' is not")
    assert problems[2].startswith("row 5, Cấp thực hiện: 'Cấp huyện' is not a level")
    assert problems[3] == "row 6, Tên thủ tục: a value is needed"
    assert len(problems) == 4  # a row without its name is not also checked for its code
    rows[5][1] = "Tên"
    assert _refused(people, rows)[3] == (
        f"row 6, Mã thủ tục: the code {ILLUSTRATIVE_PREFIX}00001 is repeated (first on row 2)")


def test_the_import_needs_the_right(people):
    with pytest.raises(Exception, match="may not change the procedure catalogue"):
        catalogue_import("a.csv", illustrative_csv(2), actor=people["reporter"],
                         decision=DECISION)
    assert not Procedure.objects.exists()


def test_the_command_imports_and_reports_what_changed(tmp_path: Path, reference_units,
                                                       capsys):
    path = tmp_path / "danh-muc.csv"
    path.write_bytes(illustrative_csv(3))
    arguments = ["procedures", "import-catalogue", str(path), "--effective", "2026-01-01",
                 "--decision", "1234/QĐ-UBND", "--decision-date", "2025-12-20"]
    call_command(*arguments)
    assert "3 procedures read: 3 new, 0 changed, 0 unchanged" in capsys.readouterr().out
    path.write_bytes(illustrative_csv(3, changed=frozenset({0})))
    call_command(*arguments)
    out = capsys.readouterr().out
    assert "1 changed, 2 unchanged" in out
    assert f"changed  {ILLUSTRATIVE_PREFIX}00001: time_limit, time_rule" in out
    version = ProcedureVersion.objects.get(procedure__code=f"{ILLUSTRATIVE_PREFIX}00001",
                                           number=2)
    assert version.decision_date == date(2025, 12, 20)
    path.write_text("Mã thủ tục\nX\n", encoding="utf-8")
    with pytest.raises(CommandError, match="rejected"):
        call_command(*arguments)
