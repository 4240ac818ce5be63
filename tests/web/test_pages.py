from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.factories import staff_user
from tinhso.indicators.models import IndicatorValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("demo", "--quiet-accounts", verbosity=0)


def test_home_shows_goals_and_figures_from_the_database_in_vietnamese(client, demo):
    page = client.get("/").content.decode()
    assert '<html lang="vi">' in page
    assert "nhóm 25 tỉnh" in page and "nhóm 20 tỉnh" in page
    assert "64,06\u00a0%" in page and "56\u00a0%" in page and "35,8\u00a0%" in page
    assert "0,7071" in page
    assert "19/10/2021" in page  # 16-NQ/TU, in Vietnamese date format
    assert ">2025<" in page  # a year is not a number with a thousands separator
    # The figure comes from the database, not the template.
    value = IndicatorValue.objects.get(indicator__code="online_services_rate", period="2020")
    value.value = 70
    value.save()
    assert "70,00\u00a0%" in client.get("/").content.decode()


def test_home_in_english(client, demo):
    client.cookies["django_language"] = "en"
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "top 25 of 63 by 2025" in page and "64.06\u00a0%" in page


def test_the_menu_names_every_area(client, demo):
    page = client.get("/").content.decode()
    for path in ("/services/", "/programme/", "/indicators/", "/rankings/", "/reports/",
                 "/units/"):
        assert f'href="{path}"' in page
        response = client.get(path)
        if path in ("/programme/", "/reports/"):  # the staff's: a visitor is asked to log in
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 200


def test_units_tree_as_of_a_date(client, reference_units):
    old = client.get("/units/", {"on": "2022-01-01"}).content.decode()
    assert "Ninh Thuận" in old and "Thành phố Nha Trang" in old and "Thừa Thiên Huế" in old
    assert "Phường Nha Trang" not in old
    new = client.get("/units/", {"on": "2026-01-01"}).content.decode()
    assert "Ninh Thuận" not in new and "Phường Nha Trang" in new and "Huế" in new
    assert "Thành phố Nha Trang" not in new


def test_units_tree_takes_vietnamese_dates_and_refuses_bad_ones(client, reference_units):
    assert "Ninh Thuận" in client.get("/units/", {"on": "01/01/2022"}).content.decode()
    response = client.get("/units/", {"on": "32/13/2022"})
    assert response.status_code == 400
    assert "32/13/2022" in response.content.decode()


def test_units_tree_in_a_fixed_number_of_queries(client, reference_units,
                                                 django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get("/units/", {"on": "2026-01-01"})


def test_merger_table(client, reference_units):
    page = client.get("/units/merger-2025/").content.decode()
    assert "63" in page and "34" in page
    assert page.count('<tr>') == 35  # header + 34 provinces


def test_unit_detail_and_unknown_code(client, reference_units):
    page = client.get("/units/58/").content.decode()
    assert "Ninh Thuận" in page and 'href="/units/56/"' in page
    response = client.get("/units/NOPE/")
    assert response.status_code == 404
    assert "NOPE" in response.content.decode()


def test_only_administrators_edit_units(client, reference_units, province_admin):
    clerk = staff_user(unit=reference_units["56"])
    client.force_login(clerk)
    assert client.get("/units/56/edit/").status_code == 403
    client.force_login(province_admin)
    response = client.post("/units/56/edit/", {"name": "Khánh Hòa", "name_en": "Khanh Hoa",
                                               "valid_from": "", "valid_to": "",
                                               "successor": ""})
    assert response.status_code == 302
    reference_units["56"].refresh_from_db()
    assert reference_units["56"].name_en == "Khanh Hoa"
    response = client.post("/units/56/edit/", {"name": "Khánh Hòa", "successor": "NOPE"})
    assert response.status_code == 200 and "NOPE" in response.content.decode()


def test_anonymous_edit_goes_to_login(client, reference_units):
    response = client.get("/units/56/edit/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_language_switch_is_remembered(client, reference_units):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/units/"})
    assert response.status_code == 302 and response["Location"] == "/units/"
    assert response.cookies["django_language"]["max-age"] >= 365 * 24 * 3600
    assert '<html lang="en">' in client.get("/units/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_vietnamese_even_when_the_browser_asks_for_english(client, reference_units):
    page = client.get("/units/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in page
    client.cookies["django_language"] = "en"
    assert '<html lang="en">' in client.get("/units/").content.decode()


def test_home_shows_targets_with_their_status(client, demo, django_assert_max_num_queries):
    client.get("/")  # the first view builds the value blocks
    # 18: the monthly trend of dossiers and the goals' rank fields are two more (issue 12);
    # 22: the goals' status, the plan's kinds from their index's published results (issue 14)
    with django_assert_max_num_queries(22):
        page = client.get("/").content.decode()
    assert 'data-testid="targets-table"' in page
    # DTI rank 16 of 34 (2024) against top 20 of 63 (2030): not comparable, never "achieved"
    assert 'data-status="not_comparable"' in page and 'data-status="achieved"' not in page
    assert 'data-status="unknown"' in page  # DTI score: one published value, no trend yet
    assert "800/1000" in page
