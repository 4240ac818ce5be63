"""The framework page shows the assumed points until an administrator enters the official
table (refused when it does not add up), then who replaced them."""

from __future__ import annotations

import pytest

from tinhso.audit.models import AuditEvent
from tinhso.scoring.models import FrameworkPoints
from tinhso.scoring.points_selectors import framework_in_force

pytestmark = pytest.mark.django_db

URL = "/rankings/framework/dti-province-405/"
POINTS = URL + "points/"
ASSUMED = {"nhan_thuc_so": "100", "the_che_so": "100", "ha_tang_so": "100",
           "nhan_luc_so": "100", "an_toan_thong_tin": "100", "chinh_quyen_so": "200",
           "kinh_te_so": "150", "xa_hoi_so": "150"}


def _form(points: dict[str, str], basis: str = "Quyết định 405/QĐ-BKHCN, Phụ lục") -> dict:
    return {**{f"p_{k}": v for k, v in points.items()}, "basis": basis}


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_assumption_is_on_the_framework_page(english, reference_units):
    page = english.get(URL).content.decode()
    assert 'data-testid="points-assumed"' in page and "ASSUMED" in page
    assert "47 component indicators" in page and "none are invented" in page
    assert page.count('data-testid="points"') == 8 and "1,000 / 1,000" in page
    assert 'data-testid="enter-points"' not in page  # not for a visitor
    assert 'data-testid="points-assumed"' in english.get("/rankings/").content.decode()


def test_only_an_administrator_enters_the_points(client, reference_units, people,
                                                 province_admin):
    assert client.get(POINTS).status_code == 302  # to sign in
    client.force_login(people["coordinator"])
    assert client.get(POINTS).status_code == 403
    assert client.post(POINTS, _form(ASSUMED)).status_code == 403
    client.force_login(province_admin)  # the points are national: the whole system's admin
    assert client.post(POINTS, _form(ASSUMED)).status_code == 403
    assert not FrameworkPoints.objects.exists()


def test_points_that_do_not_add_up_are_refused_and_nothing_changes(english, admin_user):
    english.force_login(admin_user)
    form = english.get(POINTS)
    assert form.status_code == 200 and 'value="200"' in form.content.decode()
    response = english.post(POINTS, _form({**ASSUMED, "xa_hoi_so": "100"}))
    assert response.status_code == 400
    assert "The points add up to 950; dti-province-405 is out of 1000" in (
        response.content.decode())
    response = english.post(POINTS, _form(ASSUMED, basis=" "))
    assert response.status_code == 400 and "Name the document" in response.content.decode()
    assert not FrameworkPoints.objects.exists()
    assert not AuditEvent.objects.filter(action="framework.points_set").exists()
    assert framework_in_force("dti-province-405").points_assumed


def test_the_official_table_replaces_the_assumption_audited(english, admin_user):
    english.force_login(admin_user)
    official = {**ASSUMED, "chinh_quyen_so": "250", "kinh_te_so": "100"}
    response = english.post(POINTS, _form(official))
    assert response.status_code == 302 and response["Location"] == URL
    framework = framework_in_force("dti-province-405")
    assert framework.indicator("chinh_quyen_so").weight == 250 and not framework.points_assumed
    event = AuditEvent.objects.get(action="framework.points_set")
    assert event.details["replaced"] == "assumption"
    assert event.details["before"]["chinh_quyen_so"] == 200
    assert event.details["points"]["chinh_quyen_so"] == 250
    page = english.get(URL).content.decode()
    assert 'data-testid="points-official"' in page and "admin" in page
    assert "Quyết định 405/QĐ-BKHCN, Phụ lục" in page
    assert "They replaced the assumed points" in page and 'data-testid="points-assumed"' not in page
    assert '<td data-testid="points">250</td>' in page
