"""Decision 766 items 1.1 and 1.2 from the catalogue's versions, counted by hand on a small
case; and a past year's figures from the catalogue as it stood then."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.procedures.conftest import VN
from tinhso.core.workdays import WorkCalendar
from tinhso.indicators.models import IndicatorValue
from tinhso.procedures import publication
from tinhso.procedures.announcement import announced_on_time, published_on_time, working_days
from tinhso.procedures.services.catalogue import Decision, procedure_retire, procedure_revise

# October 2026 has no holiday: Monday 5 to Friday 9, Monday 12 to Friday 16.
PLAIN = WorkCalendar()
MON5, TUE6, MON12, TUE13, WED14 = (date(2026, 10, d) for d in (5, 6, 12, 13, 14))


def test_announced_on_time_needs_five_working_days_before_the_law_takes_effect():
    assert working_days(PLAIN, MON5, MON12) == 5
    assert announced_on_time(MON5, MON12, PLAIN)
    assert not announced_on_time(TUE6, MON12, PLAIN)
    # a day off in between counts against it
    assert not announced_on_time(MON5, MON12, WorkCalendar(days_off=frozenset({TUE6})))


def test_published_on_time_is_at_most_five_working_days_after_the_decision():
    assert published_on_time(MON5, MON12, PLAIN)
    assert not published_on_time(MON5, TUE13, PLAIN)
    assert published_on_time(MON5, MON5, PLAIN) and published_on_time(MON5, date(2026, 10, 1),
                                                                      PLAIN)
    assert published_on_time(TUE6, TUE13, PLAIN) and not published_on_time(TUE6, WED14, PLAIN)


def _change(procedure, actor, decided, effective, published, **values):
    base = {"name": procedure.name, "field": procedure.field, "level": procedure.level,
            "agency": procedure.agency, "time_limit": procedure.time_limit,
            "fee": procedure.fee, "legal_basis": procedure.legal_basis,
            "online_level": procedure.online_level}
    return procedure_revise(
        actor=actor, procedure=procedure, values={**base, **values},
        decision=Decision("1/QĐ-UBND", effective_from=effective or date(2026, 10, 12),
                          decision_date=decided, legal_effective_date=effective),
        now=datetime.combine(published, datetime.min.time(), VN).replace(hour=10))


def _value(code: str, unit, year: int = 2026):
    row = IndicatorValue.objects.filter(indicator__code=code, unit=unit,
                                        period=str(year)).first()
    return None if row is None else int(row.value)


@pytest.mark.django_db
def test_the_four_counts_by_agency_and_year(catalogue, people, reference_units):
    service_indicators = ("procedures_announced", "procedures_announced_on_time",
                          "procedures_disclosed", "procedures_disclosed_on_time")
    actor, u = people["coordinator"], reference_units
    marriage = catalogue["Cấp Giấy xác nhận tình trạng hôn nhân"]  # every commune
    record = catalogue["Cấp Phiếu lý lịch tư pháp"]  # the Department of Justice
    # on time both ways; announced late, published late; no legal date: published only
    _change(marriage, actor, MON5, MON12, MON12, fee="10.000 đồng")
    _change(record, actor, TUE6, MON12, WED14, fee="200.000 đồng")
    _change(marriage, actor, MON5, None, MON5, fee="12.000 đồng")
    # a decision of another year is not this year's
    _change(record, actor, date(2025, 12, 1), date(2026, 1, 1), date(2025, 12, 2),
            fee="100.000 đồng")
    counts = publication.catalogue_counts(year=2026)
    pick = lambda unit: tuple(counts[unit.pk][c] for c in service_indicators)  # noqa: E731
    assert pick(u["56"]) == (2, 1, 3, 2)  # the sample's first versions count in neither
    assert pick(u["22366"]) == (1, 1, 2, 2)  # a commune: the marriage procedure's versions
    assert pick(u["56.STP"]) == (1, 0, 1, 0)
    assert pick(u["56.STC"]) == (0, 0, 0, 0)  # implements procedures, announced none
    assert publication.catalogue_counts(year=2024)[u["56"].pk].get(
        "procedures_announced") is None  # no decision that year: nothing known, not zero
    # each change of the catalogue publishes its figures again
    assert [_value(c, u["56"]) for c in service_indicators] == [2, 1, 3, 2]
    assert [_value(c, u["56"], 2025) for c in service_indicators] == [1, 1, 1, 1]


@pytest.mark.django_db
def test_a_past_year_s_figures_use_the_catalogue_of_that_year(catalogue, people,
                                                              reference_units):
    home = reference_units["56"]
    procedure_retire(actor=people["coordinator"], procedure=catalogue["Đăng ký khai tử"],
                     decision=Decision("8/QĐ-UBND", effective_from=date(2026, 3, 1)))
    assert publication.catalogue_counts(year=2025)[home.pk]["procedures_total"] == 15
    assert publication.catalogue_counts()[home.pk]["procedures_total"] == 14
    publication.publish_catalogue(year=2025)
    assert _value("procedures_total", home, 2025) == 15
