"""`tinhso dossiers import`: a CSV of another one-stop system's dossiers gives the same figures
as the same dossiers entered through the platform; bad rows are reported by line and column,
with nothing written (or, with --skip-bad, set aside in FILE.rejects.csv)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.utils import timezone

from tests.factories import grant, pdf_upload, staff_user
from tests.helpers import run_command
from tests.procedures.conftest import TUESDAY_9AM, VN
from tinhso.accounts.permissions import SYSTEM
from tinhso.audit.models import AuditEvent
from tinhso.procedures import aggregate, audit_events
from tinhso.procedures.importing import (
    COLUMNS,
    DossiersRejected,
    dossiers_import,
    parse_moment,
    parse_periods,
)
from tinhso.procedures.models import Channel, Dossier, DossierEvent, DossierStat, Rating
from tinhso.procedures.services import (
    Applicant,
    dossier_answer_supplement,
    dossier_approve,
    dossier_assign,
    dossier_rate,
    dossier_receive,
    dossier_refuse,
    dossier_request_supplement,
    dossier_return_result,
    dossier_withdraw,
)

pytestmark = pytest.mark.django_db

H = timedelta(hours=1)
OCTOBER = TUESDAY_9AM - timedelta(days=35)  # Tuesday 13/10/2026, 09:00
STAT_FIELDS = ("unit_id", "procedure_id", "month", "channel", *aggregate.COUNTS)
KEPT = ("status", "channel", "received_at", "due_at", "finished_at", "returned_at",
        "withdrawn_at", "paused_at", "remaining_seconds", "supplement_count", "on_time",
        "fee_payable", "paid_online", "digitised", "applicant_name", "applicant_phone")


def _fields(dossier: Dossier) -> dict[str, Any]:
    """What the import must reproduce (the working time left only while it is kept: the
    platform leaves a stale figure on a dossier refused while waiting, the import none)."""
    fields = {f: getattr(dossier, f) for f in KEPT}
    if dossier.paused_at is None:
        del fields["remaining_seconds"]
    return fields


def _stat_rows() -> list[tuple[Any, ...]]:
    return sorted(DossierStat.objects.values_list(*STAT_FIELDS))


def _per_unit_month() -> dict[tuple[int, Any], Counter[str]]:
    out: dict[tuple[int, Any], Counter[str]] = {}
    for row in DossierStat.objects.values("unit_id", "month", *aggregate.COUNTS):
        out.setdefault((row["unit_id"], row["month"]), Counter()).update(
            {c: row[c] for c in aggregate.COUNTS})
    return out


def _moment(value: datetime | None, position: int) -> str:
    """Alternately ISO 8601 with the offset and DD/MM/YYYY HH:MM:SS in Vietnam's time."""
    if value is None:
        return ""
    local = timezone.localtime(value, VN)
    return local.isoformat() if position % 2 else f"{local:%d/%m/%Y %H:%M:%S}"


def _periods(dossier: Dossier, position: int) -> str:
    periods, start = [], None
    for event in DossierEvent.objects.filter(dossier=dossier).order_by("at", "id"):
        if event.action == "request_supplement":
            start = event.at
        elif event.action in ("answer_supplement", "resume") and start is not None:
            periods.append(f"{_moment(start, position)}/{_moment(event.at, position)}")
            start = None
    if start is not None:
        periods.append(f"{_moment(start, position)}/")
    return ";".join(periods)


VIETNAMESE = {Channel.IN_PERSON: "truc_tiep", Channel.ONLINE: "Trực tuyến",
              Channel.POSTAL: "buu_chinh"}


def export(dossiers: list[Dossier]) -> list[dict[str, str]]:
    """The platform's dossiers as the rows another system would send."""
    rows = []
    for position, d in enumerate(dossiers):
        rating = Rating.objects.filter(dossier=d).first()
        flag = ("1", "0") if position % 2 else ("true", "false")
        rows.append({
            "code": d.code,
            "procedure": d.procedure.national_code or d.procedure.code,
            "agency": d.unit.code,
            "channel": VIETNAMESE[d.channel] if position % 2 else d.channel,
            "applicant_name": d.applicant_name, "applicant_phone": d.applicant_phone,
            "received": _moment(d.received_at, position), "due": _moment(d.due_at, position),
            "finished": _moment(d.finished_at, position),
            "returned": _moment(d.returned_at, position),
            "status": d.status, "supplement_periods": _periods(d, position),
            "fee_payable": flag[not d.fee_payable], "paid_online": flag[not d.paid_online],
            "digitised": flag[not d.digitised],
            "result_file": f"{d.code}.pdf" if d.electronic_result else "",
            "rating": str(rating.level) if rating else "",
            "withdrawn": _moment(d.withdrawn_at, position),
            "rated": _moment(rating.at, position) if rating else "",
        })
    return rows


def write_csv(path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS
              ) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def good_row(code: str, **overrides: str) -> dict[str, str]:
    row = {"code": code, "procedure": "1.001193", "agency": "22366", "channel": "online",
           "applicant_name": "Nguyễn Văn An", "applicant_phone": "0905 123 456",
           "received": "2026-10-13T09:00", "due": "13/10/2026 17:00",
           "finished": "2026-10-13T10:00", "returned": "", "status": "approved",
           "supplement_periods": "", "fee_payable": "0", "paid_online": "0", "digitised": "1",
           "result_file": "kq.pdf", "rating": "", "withdrawn": "", "rated": ""}
    row.update(overrides)
    return row


def _imports() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=audit_events.DOSSIERS_IMPORTED))


# --- the same figures as natively --------------------------------------------------------------


def _native_dossiers(submit, desk, applicant_user, catalogue, units) -> None:
    """Every path through the workflow, over two months, two agencies and three channels."""
    commune, justice, approver = desk["commune"], desk["justice"], desk["approver"]
    # October: resolved and returned with a file, rated; late; refused; withdrawn.
    good = submit("Cấp Giấy xác nhận tình trạng hôn nhân", at=OCTOBER, paid_online=True)
    dossier_approve(actor=commune, dossier=good, now=OCTOBER + H)
    dossier_return_result(actor=commune, dossier=good, result=pdf_upload(), now=OCTOBER + 2 * H)
    dossier_rate(account=applicant_user, dossier=good, level=5, now=OCTOBER + 3 * H)
    late = submit("Đăng ký khai sinh", at=OCTOBER)
    dossier_approve(actor=commune, dossier=late, now=OCTOBER + timedelta(days=3))
    refused = submit("Đăng ký tạm trú", at=OCTOBER)
    dossier_refuse(actor=commune, dossier=refused, reason="Không đủ điều kiện",
                   now=OCTOBER + 5 * H)
    withdrawn = submit("Đăng ký thường trú", at=OCTOBER)
    dossier_withdraw(actor=commune, dossier=withdrawn, reason="Công dân rút hồ sơ",
                     now=OCTOBER + 4 * H)
    # Received in October, resolved in November (counted in two months).
    slow = submit("Cấp giấy phép xây dựng nhà ở riêng lẻ", at=OCTOBER + timedelta(days=14))
    dossier_approve(actor=commune, dossier=slow, now=TUESDAY_9AM + 2 * H)
    # November at the desk: in person (left open), by post (assigned, then resolved).
    dossier_receive(actor=commune, procedure=catalogue["Chứng thực chữ ký"],
                    unit=units["22366"], channel=Channel.IN_PERSON,
                    applicant=Applicant("Trần Thị C", "0912345678"), form_data={},
                    now=TUESDAY_9AM)
    posted = dossier_receive(actor=commune, procedure=catalogue["Chứng thực hợp đồng giao dịch"],
                             unit=units["22366"], channel=Channel.POSTAL,
                             applicant=Applicant("Lê Văn D", "0987654321"), form_data={},
                             digitised=True, now=TUESDAY_9AM)
    dossier_assign(actor=commune, dossier=posted, unit=units["22366"], now=TUESDAY_9AM + H)
    dossier_approve(actor=commune, dossier=posted, now=TUESDAY_9AM + 5 * H)
    # Supplements: one (on time), two (late whatever the clock), one awaited, one refused while
    # awaited.
    once = submit("Cấp Giấy xác nhận tình trạng hôn nhân")
    dossier_request_supplement(actor=commune, dossier=once, reason="Thiếu CCCD",
                               now=TUESDAY_9AM + H)
    dossier_answer_supplement(account=applicant_user, dossier=once, note="Đã bổ sung",
                              now=TUESDAY_9AM + 24 * H)
    dossier_approve(actor=commune, dossier=once, now=TUESDAY_9AM + 26 * H)
    twice = submit("Đăng ký thành lập hộ kinh doanh")
    for day in (0, 1):
        dossier_request_supplement(actor=commune, dossier=twice, reason="Thiếu giấy tờ",
                                   now=TUESDAY_9AM + (24 * day + 1) * H)
        dossier_answer_supplement(account=applicant_user, dossier=twice, note="Đã bổ sung",
                                  now=TUESDAY_9AM + (24 * day + 4) * H)
    dossier_approve(actor=commune, dossier=twice, now=TUESDAY_9AM + 28 * H)
    waiting = submit("Đăng ký khai tử")
    dossier_request_supplement(actor=commune, dossier=waiting, reason="Thiếu giấy báo tử",
                               now=TUESDAY_9AM + 3 * H)
    given_up = submit("Cấp bản sao trích lục hộ tịch")
    dossier_request_supplement(actor=commune, dossier=given_up, reason="Thiếu tờ khai",
                               now=TUESDAY_9AM + H)
    dossier_refuse(actor=commune, dossier=given_up, reason="Không bổ sung",
                   now=TUESDAY_9AM + 50 * H)
    # A department: returned on paper, rated as dissatisfied.
    record = submit("Cấp Phiếu lý lịch tư pháp", unit="56.STP", paid_online=True)
    dossier_approve(actor=approver, dossier=record, now=TUESDAY_9AM + 30 * H)
    dossier_return_result(actor=justice, dossier=record, now=TUESDAY_9AM + 50 * H)
    dossier_rate(account=applicant_user, dossier=record, level=2, now=TUESDAY_9AM + 51 * H)


def test_importing_a_csv_gives_the_same_figures_as_entering_the_same_dossiers_natively(
        submit, desk, applicant_user, catalogue, reference_units, tmp_path):
    _native_dossiers(submit, desk, applicant_user, catalogue, reference_units)
    dossiers = list(Dossier.objects.select_related("procedure", "unit").order_by("id"))
    native_rows, native_per_month = _stat_rows(), _per_unit_month()
    native_totals = aggregate.totals(DossierStat.objects.all())
    assert native_totals["resolved"] == 9 and native_totals["withdrawn"] == 1
    assert native_totals["rated"] == 2 and len({m for _u, m in native_per_month}) == 2
    native = {d.code: _fields(d) for d in dossiers}
    assert {d.supplement_count for d in dossiers} == {0, 1, 2}
    path = write_csv(tmp_path / "motcua_2026.csv", export(dossiers))

    Dossier.objects.all().delete()
    DossierStat.objects.all().delete()
    out = run_command("dossiers", "import", str(path))

    assert f"{len(dossiers)} dossiers imported (2 with a rating)" in out
    assert aggregate.totals(DossierStat.objects.all()) == native_totals
    assert _per_unit_month() == native_per_month
    assert _stat_rows() == native_rows
    imported = {d.code: _fields(d) for d in Dossier.objects.all()}
    assert imported == native
    assert set(Dossier.objects.values_list("source", flat=True)) == {"import:motcua_2026.csv"}
    # The aggregate the import built is the one a full rebuild gives.
    aggregate.rebuild()
    assert _stat_rows() == native_rows
    assert not Rating.objects.exclude(  # each rating's copy of its dossier's key (rating_keys)
        dossier_unit_id=F("dossier__unit_id"), dossier_procedure_id=F("dossier__procedure_id"),
        dossier_channel=F("dossier__channel")).exists()
    (event,) = _imports()
    assert event.actor is None and event.actor_repr == "system"
    assert event.details["imported"] == len(dossiers) and event.details["rejected"] == 0
    assert event.details["ratings"] == 2 and event.unit.code == "56"


# --- bad rows -----------------------------------------------------------------------------------


def _mixed_file(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "ho_so.csv", [
        good_row("A-1"),                                             # line 2
        good_row("A-2", procedure="9.999999"),                       # line 3
        good_row("A-3", agency="79"),                                # line 4: another province
        good_row("A-4", received="31/02/2026 09:00"),                # line 5
        good_row("A-5", finished="2026-10-12T10:00"),                # line 6
        good_row("A-6", status="done"),                              # line 7
        good_row("A-1", channel="truc_tiep"),                        # line 8
        good_row("A-7", channel="Trực tiếp", rating="4"),            # line 9
    ])


EXPECTED = [(3, "procedure"), (4, "agency"), (5, "received"), (6, "finished"), (7, "status"),
            (8, "code")]


def test_bad_rows_are_reported_by_line_and_column_and_nothing_is_written(
        catalogue, tmp_path):
    path = _mixed_file(tmp_path)
    err = io.StringIO()
    with pytest.raises(CommandError, match="rejected, 6 problem"):
        call_command("dossiers", "import", str(path), stderr=err)
    printed = err.getvalue()
    assert "ho_so.csv: row 3, procedure: '9.999999' is not a procedure code" in printed
    assert "row 6, finished: before the time received" in printed
    assert "row 8, code: the same code as line 2" in printed
    with pytest.raises(DossiersRejected) as rejected:
        dossiers_import(path, actor=SYSTEM)
    assert [(e.row, e.column) for e in rejected.value.errors] == EXPECTED
    assert not Dossier.objects.exists() and not Rating.objects.exists()
    assert not DossierStat.objects.exists() and not _imports()
    assert not Path(f"{path}.rejects.csv").exists()


def test_rows_that_contradict_themselves_are_refused(catalogue, tmp_path):
    path = write_csv(tmp_path / "x.csv", [
        good_row("B-1", status="received"),  # open, with a time resolved
        good_row("B-2", status="returned"),  # returned, no time of return
        good_row("B-3", supplement_periods="2026-10-13T09:10/;2026-10-13T09:20/"
                                           "2026-10-13T09:30"),  # open period not last
        good_row("B-4", finished="", status="supplement"),  # waiting, no open period
        good_row("B-5", paid_online="1", fee_payable="0"),
        good_row("B-6", rating="6"),
        good_row("B-7", applicant_phone="12345", channel="fax"),
        good_row("B-8", received="2099-01-01T09:00", due="2099-01-02T09:00", finished=""
                 , status="received"),
    ])
    with pytest.raises(DossiersRejected) as rejected:
        dossiers_import(path, actor=SYSTEM)
    assert [(e.row, e.column) for e in rejected.value.errors] == [
        (2, "finished"), (3, "returned"), (4, "supplement_periods"), (5, "supplement_periods"),
        (6, "paid_online"), (7, "rating"), (8, "channel"), (8, "applicant_phone"),
        (9, "received")]


def test_a_file_with_a_wrong_header_is_refused_at_once(catalogue, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("code;procedure;agency;recieved\nX;1.001193;22366;2026-10-13T09:00\n",
                    encoding="utf-8")
    with pytest.raises(DossiersRejected) as rejected:
        dossiers_import(path, actor=SYSTEM)
    columns = {e.column for e in rejected.value.errors}
    assert {"channel", "received", "recieved", "status"} <= columns
    assert {e.row for e in rejected.value.errors} == {1}


def test_at_most_50_problems_are_reported_and_the_reading_stops_there(catalogue, tmp_path):
    path = write_csv(tmp_path / "x.csv", [good_row(f"F-{n}", status="?") for n in range(200)])
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"50 problem\(s\) \(the first 50 shown"):
        call_command("dossiers", "import", str(path), "--batch-size", "20", stderr=err)
    assert err.getvalue().count("status: '?' is not a status") == 50
    with pytest.raises(DossiersRejected) as rejected:
        dossiers_import(path, actor=SYSTEM, batch_size=20)
    assert rejected.value.truncated and rejected.value.rows == 60  # three batches read


@pytest.mark.parametrize("where", [0, 199])  # read with the header, or further on
def test_a_file_that_is_not_utf8_is_refused(catalogue, tmp_path, where):
    rows = [good_row(f"G-{n}") for n in range(200)]
    rows[where]["applicant_name"] = "Trần Văn É"
    path = write_csv(tmp_path / "x.csv", rows)
    path.write_bytes(path.read_bytes().replace("É".encode(), "É".encode("latin-1")))
    with pytest.raises(DossiersRejected) as rejected:
        dossiers_import(path, actor=SYSTEM, batch_size=50)
    assert "cannot be read" in rejected.value.errors[-1].message
    assert not Dossier.objects.exists()


def test_skip_bad_imports_the_good_rows_and_writes_the_rejects_with_their_lines(
        catalogue, tmp_path):
    path = _mixed_file(tmp_path)
    out = run_command("dossiers", "import", str(path), "--skip-bad")
    assert "2 dossiers imported (1 with a rating) from 8 rows, 6 rejected" in out
    assert sorted(Dossier.objects.values_list("code", flat=True)) == ["A-1", "A-7"]
    assert Dossier.objects.get(code="A-7").channel == Channel.IN_PERSON
    assert aggregate.totals(DossierStat.objects.all())["received"] == 2
    rejects = Path(f"{path}.rejects.csv")
    with rejects.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(int(r["line"]), r["code"]) for r in rows] == [
        (3, "A-2"), (4, "A-3"), (5, "A-4"), (6, "A-5"), (7, "A-6"), (8, "A-1")]
    assert rows[0]["errors"].startswith("procedure: '9.999999' is not")
    assert rows[5]["errors"] == "code: the same code as line 2"
    (event,) = _imports()
    assert (event.details["imported"], event.details["rejected"]) == (2, 6)

    # Corrected, the rejects file imports as it is (its line and errors columns are ignored).
    with rejects.open(encoding="utf-8", newline="") as fh:
        fixed = list(csv.DictReader(fh))
    for row in fixed:
        row.update(procedure="1.001193", agency="22366", received="2026-10-13T09:00",
                   finished="2026-10-13T10:00", status="approved")
    fixed[-1]["code"] = "A-8"
    write_csv(rejects, fixed, ("line", "errors", *COLUMNS))
    out = run_command("dossiers", "import", str(rejects), "--skip-bad")
    assert "6 dossiers imported" in out and "none rejected" in out
    assert aggregate.totals(DossierStat.objects.all())["received"] == 8


def test_importing_the_same_file_again_refuses_the_codes_already_there(catalogue, tmp_path):
    path = write_csv(tmp_path / "ho_so.csv", [good_row(f"C-{n}") for n in range(3)])
    run_command("dossiers", "import", str(path))
    before = _stat_rows()
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("dossiers", "import", str(path), stderr=err)
    assert err.getvalue().count("a dossier with this code is already in the database") == 3
    assert "row 2, code" in err.getvalue()
    assert Dossier.objects.count() == 3 and _stat_rows() == before and len(_imports()) == 1


def test_codes_in_the_platforms_format_move_its_counter_past_them(submit, catalogue, tmp_path):
    path = write_csv(tmp_path / "ho_so.csv", [
        good_row("22366-261117-0007", received="2026-11-17T08:00", due="2026-11-17T17:00",
                 finished="2026-11-17T08:30")])
    run_command("dossiers", "import", str(path))
    assert submit("Đăng ký khai sinh").code == "22366-261117-0008"


def test_a_large_batch_split_progress_and_rows_with_few_columns(catalogue, tmp_path):
    columns = ("code", "procedure", "agency", "channel", "applicant_name", "applicant_phone",
               "received", "due", "status")
    rows = [{c: good_row(f"D-{n}", status="processing")[c] for c in columns} for n in range(23)]
    path = write_csv(tmp_path / "open.csv", rows, columns)
    err = io.StringIO()
    call_command("dossiers", "import", str(path), "--batch-size", "5", "--progress",
                 stdout=io.StringIO(), stderr=err)
    assert "rows/s" in err.getvalue() and "\r" in err.getvalue()
    assert Dossier.objects.filter(status="processing", finished_at=None).count() == 23
    assert aggregate.totals(DossierStat.objects.all())["received"] == 23


def test_stats_rebuild_prints_the_rows(catalogue, tmp_path):
    run_command("dossiers", "import", str(write_csv(tmp_path / "a.csv", [good_row("E-1")])))
    DossierStat.objects.all().delete()
    out = run_command("dossiers", "stats-rebuild")
    assert "Rebuilt the dossier statistics: 1 aggregate rows" in out and "received 1" in out
    assert DossierStat.objects.get().resolved_on_time == 1


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-03-02T09:00/2026-03-04T10:00", [((2, 3, 9, 0), (4, 3, 10, 0))]),
    ("02/03/2026 09:00/04/03/2026 10:00; 05/03/2026 08:00/",
     [((2, 3, 9, 0), (4, 3, 10, 0)), ((5, 3, 8, 0), None)]),
    ("2026-03-02T02:00+00:00/", [((2, 3, 9, 0), None)]),
    ("", []),
])
def test_supplement_periods_in_either_format(text, expected):
    def parts(moment):
        local = timezone.localtime(moment, VN)
        return (local.day, local.month, local.hour, local.minute)

    assert [(parts(a), parts(b) if b else None) for a, b in parse_periods(text)] == expected


def test_times_without_an_offset_are_vietnams():
    assert parse_moment("17/11/2026 09:00") == TUESDAY_9AM
    assert parse_moment("2026-11-17 09:00:00") == TUESDAY_9AM
    for bad in ("2026-11-17", "31/02/2026 09:00", "17-11-2026 09:00", "yesterday"):
        with pytest.raises(ValueError):
            parse_moment(bad)


# --- who may import ------------------------------------------------------------------------------


def test_a_coordinator_of_the_province_imports_and_is_the_events_actor(
        catalogue, reference_units, tmp_path):
    coordinator = staff_user(unit=reference_units["56"], username="dieuphoi")
    grant(coordinator, "coordinator", reference_units["56"])
    path = write_csv(tmp_path / "ho_so.csv", [good_row("P-1")])
    out = run_command("dossiers", "import", str(path), "--as-user", "dieuphoi")
    assert "1 dossiers imported" in out
    (event,) = _imports()
    assert event.actor == coordinator and event.unit.code == "56"


def test_an_actor_without_the_right_at_the_province_is_refused_before_reading(
        catalogue, reference_units, tmp_path):
    """The officer, and even the coordinator, of the very agency the file names: the import
    writes at the province's level (its statistics, the code counters), so it is asked there."""
    path = write_csv(tmp_path / "ho_so.csv", [good_row("P-1")])
    officer = staff_user(unit=reference_units["22366"], username="motcua")
    grant(officer, "officer", reference_units["22366"])
    local = staff_user(unit=reference_units["22366"], username="dieuphoi.phuong")
    grant(local, "coordinator", reference_units["22366"])
    for actor in (officer, local, None):
        with pytest.raises(PermissionDenied, match="import dossiers from another one-stop"):
            dossiers_import(path, actor=actor, skip_bad=True)
    assert not Dossier.objects.exists() and not _imports()
    assert not Path(f"{path}.rejects.csv").exists()  # nothing opened, nothing read
    with pytest.raises(CommandError, match=r"refused, nothing was imported: You may not "
                                           r"import dossiers"):
        call_command("dossiers", "import", str(path), "--as-user", "motcua")
    with pytest.raises(CommandError, match="There is no user 'nobody'"):
        call_command("dossiers", "import", str(path), "--as-user", "nobody")
    assert not Dossier.objects.exists()


# --- the rules as the platform's and the installation's time zone ------------------------------


def test_a_dossier_paused_after_its_due_time_keeps_a_negative_working_time(catalogue, tmp_path):
    path = write_csv(tmp_path / "x.csv", [good_row(
        "R-1", received="2026-10-13T09:00", due="2026-10-13T10:00", finished="",
        status="supplement", supplement_periods="2026-10-13T11:00/")])
    dossiers_import(path, actor=SYSTEM)
    dossier = Dossier.objects.get(code="R-1")
    assert dossier.paused_at == parse_moment("2026-10-13T11:00")
    assert dossier.remaining_seconds == -3600 and dossier.on_time is None


def test_times_without_an_offset_are_in_the_installations_time_zone(settings):
    settings.TIME_ZONE = "Europe/Paris"
    moment = parse_moment("17/11/2026 09:00")
    assert (moment.hour, moment.utcoffset()) == (9, timedelta(hours=1))

