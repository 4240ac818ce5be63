"""The statistics page: the monthly trend (one query on the aggregate, against a hand count),
one rule for "had dossiers" (no "no dossier" under 161 dossiers), and the on-time card that
says how open dossiers count (issue 12, points 3 to 5)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import DossierFactory, ProcedureFactory, UnitFactory
from tinhso.procedures import aggregate, publication
from tinhso.procedures.figures import Month, monthly_trend, service_figures
from tinhso.procedures.loaders import service_indicators_load
from tinhso.units.models import Level

VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]


def at(day: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=VN)


@pytest.fixture
def procedure(reference_units):
    service_indicators_load()
    return ProcedureFactory()  # three working days


@pytest.fixture
def ward(reference_units):
    return reference_units["22366"]  # Phường Nha Trang


def test_monthly_trend_is_one_query_and_matches_a_hand_count(
        procedure, ward, reference_units, django_assert_num_queries):
    # March: two received (one online), the online one resolved on time the same morning.
    DossierFactory(procedure=procedure, unit=ward, online=True, resolved_on_time=True,
                   received_at=at("2025-03-10"))
    DossierFactory(procedure=procedure, unit=ward, processing=True, received_at=at("2025-03-20"))
    # April: one received online, resolved late in May (its due time is after 1 May).
    late = DossierFactory(procedure=procedure, unit=ward, online=True, resolved_late=True,
                          received_at=at("2025-04-28"))
    assert late.finished_at.month == 5
    # Not counted: another year, and a unit outside Khánh Hòa.
    DossierFactory(procedure=procedure, unit=ward, received_at=at("2024-03-10"))
    elsewhere = UnitFactory(parent=reference_units["VN"], level=Level.PROVINCE)
    DossierFactory(procedure=procedure, unit=elsewhere, received_at=at("2025-03-11"))
    aggregate.rebuild()

    with django_assert_num_queries(1):
        months = monthly_trend(reference_units["56"], 2025, today=date(2026, 6, 1))
    assert len(months) == 12
    got = {m.month.month: m for m in months}
    assert got[3] == Month(date(2025, 3, 1), received=2, online=1, resolved=1, on_time=1)
    assert got[4] == Month(date(2025, 4, 1), received=1, online=1, resolved=0, on_time=0)
    assert got[5] == Month(date(2025, 5, 1), received=0, online=0, resolved=1, on_time=0)
    assert sum(m.received for m in months) == 3
    # The current year stops at the current month; a future year has none yet.
    assert len(monthly_trend(ward, 2025, today=date(2025, 4, 15))) == 4
    assert monthly_trend(ward, 2027, today=date(2026, 6, 1)) == []


def _publish(units, year=2025):
    aggregate.rebuild()
    publication.publish([u.pk for u in units], [year])


def test_a_wards_page_never_says_no_dossier_under_its_dossiers(client, procedure, ward,
                                                               reference_units):
    for day in ("2025-03-10", "2025-03-11", "2025-06-02"):
        DossierFactory(procedure=procedure, unit=ward, resolved_on_time=True, received_at=at(day))
    quiet = reference_units["22333"]  # Phường Bắc Nha Trang: nothing in 2025
    _publish([ward, quiet])
    page = client.get("/services/statistics/", {"unit": ward.code, "year": 2025}
                      ).content.decode()
    assert "3 of 3 resolved on time" in page
    assert "no dossier" not in page.lower()
    assert 'data-testid="units-table"' not in page  # a ward has no units below
    assert 'data-testid="months-chart"' in page and 'data-testid="months-table"' in page
    empty = client.get("/services/statistics/", {"unit": quiet.code, "year": 2025}
                       ).content.decode()
    assert empty.count("had no dossier in 2025") == 1
    # The province lists the ward (it had dossiers) and not the quiet one.
    province = client.get("/services/statistics/", {"unit": "56", "year": 2025}
                          ).content.decode()
    assert f'data-unit="{ward.code}"' in province and f'data-unit="{quiet.code}"' not in province
    assert "had no dossier" not in province


def test_the_rule_for_had_dossiers_counts_open_ones_from_an_earlier_year(procedure, ward,
                                                                         reference_units):
    # Received in 2024, still open through 2025: the ward had work in 2025.
    DossierFactory(procedure=procedure, unit=ward, processing=True, received_at=at("2024-12-30"))
    _publish([ward])
    rows = {f.unit.code: f for f in service_figures(reference_units["56"], 2025)}
    total = service_figures(ward, 2025)[0]
    assert total.counts["dossiers_received"] == 0 and total.counts["dossiers_in_progress"] == 1
    assert total.has_dossiers and rows["56"].has_dossiers


def test_the_on_time_card_states_how_open_dossiers_count(client, procedure, ward):
    for day in ("2025-05-05", "2025-05-06"):
        DossierFactory(procedure=procedure, unit=ward, resolved_on_time=True, received_at=at(day))
    DossierFactory(procedure=procedure, unit=ward, resolved_late=True, received_at=at("2025-05-07"))
    # Open at the year's end: one received on its last day (due in January: not late), one
    # received in November (past its due time with the clock running: late).
    DossierFactory(procedure=procedure, unit=ward, processing=True, received_at=at("2025-12-31"))
    DossierFactory(procedure=procedure, unit=ward, processing=True, received_at=at("2025-11-03"))
    _publish([ward])
    total = service_figures(ward, 2025)[0]
    # (2 on time + 2 open - 1 open and late) / (3 resolved + 2 open) = 3 / 5
    assert (total.on_time_counted, total.on_time_base) == (3, 5)
    assert total.rates["on_time_rate"] == pytest.approx(100 * 3 / 5)
    page = client.get("/services/statistics/", {"unit": ward.code, "year": 2025}
                      ).content.decode()
    card = page[page.index('data-testid="stat-on-time"'):]
    card = card[:card.index("</article>")]
    assert "60.00" in card
    assert "3 of 5 dossiers count as on time" in card
    assert "2 of 3 resolved on time" in card and "2 in progress, 1 of them late" in card
    assert "an open dossier counts as on time until it is late" in card


def test_months_of_the_current_year_stop_today(procedure, ward):
    today = date.today()
    DossierFactory(procedure=procedure, unit=ward,
                   received_at=datetime.now(VN) - timedelta(hours=1))
    aggregate.rebuild()
    months = monthly_trend(ward, today.year)
    assert len(months) == today.month and months[-1].received >= 1
