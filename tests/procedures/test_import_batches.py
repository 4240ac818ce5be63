"""The dossier import's quick paths give what the plain ones give: the working time left
counted by pairs of days, the common time formats read without a regular expression's groups,
values with tabs, backslashes and line breaks written through COPY's text format, and a batch
whose writing fails leaving nothing written; and the statistics an import adds to (its own
dossiers only) equal a rebuild."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from tests.helpers import run_command
from tests.procedures.test_import import STAT_FIELDS, good_row, write_csv
from tinhso.accounts.permissions import SYSTEM
from tinhso.core.workdays import WorkCalendar
from tinhso.procedures import aggregate, rules
from tinhso.procedures.importing import dossiers_import, parse_moment
from tinhso.procedures.importing.times import DaySpans
from tinhso.procedures.importing.writer import DossierWriter
from tinhso.procedures.models import Dossier, DossierStat, Rating

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize("zone", [VN, PARIS, None])
def test_the_working_time_left_counted_by_pairs_of_days_is_the_calendars(zone):
    calendar = WorkCalendar(days_off=frozenset({date(2026, 4, 30), date(2026, 5, 1)}),
                            working_days=frozenset({date(2026, 4, 25)}), tz=zone)
    spans = DaySpans.of(calendar)
    rng = random.Random(17)
    start = datetime(2026, 3, 1, tzinfo=zone)
    for _ in range(400):  # moments over spring (Paris changes its clocks on 29 March)
        at = start + timedelta(minutes=rng.randrange(0, 90 * 24 * 60))
        due = at + timedelta(minutes=rng.randrange(-20 * 24 * 60, 20 * 24 * 60))
        assert rules.remaining_working_time(spans, at, due) == \
            rules.remaining_working_time(calendar, at, due), (at, due)
    monday = datetime.combine(date(2026, 4, 27), time(9), zone)
    assert spans.working_time_between(monday, monday + timedelta(days=7)) == \
        calendar.working_time_between(monday, monday + timedelta(days=7)) == \
        timedelta(hours=8 * 3)  # Tuesday, Wednesday and Monday; not the 30th, 1st, weekend
    assert len(spans.spans) > 1


@pytest.mark.parametrize("zone", ["Asia/Ho_Chi_Minh", "Europe/Paris"])
@pytest.mark.parametrize(("text", "iso"), [
    ("2026-03-29T02:30", "2026-03-29T02:30"), ("2026-11-17 09:05", "2026-11-17T09:05"),
    ("02/03/2026 23:59", "2026-03-02T23:59"), ("29/03/2026T02:30", "2026-03-29T02:30"),
    ("2/3/2026 09:05", "2026-03-02T09:05"), ("02/03/2026 09:05:30", "2026-03-02T09:05:30"),
])
def test_the_common_time_formats_read_as_their_iso_8601(settings, zone, text, iso):
    settings.TIME_ZONE = zone
    local = ZoneInfo(zone)
    expected = datetime.fromisoformat(iso).replace(tzinfo=local)
    moment = parse_moment(f" {text} ")
    assert moment == expected and moment.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("bad", ["2026-02-30T09:00", "2026-13-01T09:00", "2026-01-01T24:00",
                                 "2026-01-01T09:60", "２０２６-01-01T09:00",
                                 "30/02/2026 09:00", "01/13/2026 09:00", "01/01/2026 25:00"])
def test_impossible_times_in_the_common_format_are_refused(bad):
    with pytest.raises(ValueError):
        parse_moment(bad)


NAMES = ["Lê Thị\tBa", "Trần \\N Văn", "Phạm\nVăn Cường", "Hồ Thị\\tDung\r"]


def test_values_with_tabs_backslashes_and_line_breaks_are_kept_as_given(catalogue, tmp_path):
    rows = [good_row(f"T-{n}", applicant_name=name, rating=str(1 + n))
            for n, name in enumerate(NAMES)]
    path = write_csv(tmp_path / "names.csv", rows)
    result = dossiers_import(path, actor=SYSTEM, batch_size=3)
    assert (result.imported, result.ratings) == (4, 4)
    kept = dict(Dossier.objects.values_list("code", "applicant_name"))
    assert kept == {f"T-{n}": name.strip() for n, name in enumerate(NAMES)}
    assert sorted(Rating.objects.values_list("dossier__code", "level")) == \
        [(f"T-{n}", 1 + n) for n in range(4)]


def test_a_batch_whose_writing_fails_leaves_nothing_written(catalogue, tmp_path, monkeypatch):
    path = write_csv(tmp_path / "x.csv", [good_row(f"W-{n}", rating="5") for n in range(7)])
    written = {"batches": 0}
    method = "_send" if connection.vendor == "postgresql" else "_rate"
    plain = getattr(DossierWriter, method)

    def failing(*args):
        written["batches"] += 1
        if written["batches"] == 2:
            raise RuntimeError("the disk is full")
        return plain(*args)

    monkeypatch.setattr(DossierWriter, method, failing if method == "_send"
                        else staticmethod(failing))
    with pytest.raises(RuntimeError, match="the disk is full"):
        dossiers_import(path, actor=SYSTEM, batch_size=3)
    assert written["batches"] == 2
    assert not Dossier.objects.exists() and not Rating.objects.exists()


def test_a_second_file_of_the_same_name_adds_only_its_own_dossiers_to_the_statistics(
        catalogue, tmp_path):
    first = write_csv(tmp_path / "ho_so.csv", [good_row(f"E-{n}") for n in range(3)])
    run_command("dossiers", "import", str(first))
    second = write_csv(tmp_path / "ho_so.csv", [good_row(f"F-{n}") for n in range(2)])
    run_command("dossiers", "import", str(second))
    assert aggregate.totals(DossierStat.objects.all())["received"] == 5
    added = sorted(DossierStat.objects.values_list(*STAT_FIELDS))
    aggregate.rebuild()
    assert sorted(DossierStat.objects.values_list(*STAT_FIELDS)) == added
