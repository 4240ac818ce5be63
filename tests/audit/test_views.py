from __future__ import annotations

import pytest

from tests.factories import grant, staff_user
from tinhso.units.services import unit_update

pytestmark = pytest.mark.django_db


def test_administrators_read_the_audit_log_of_their_scope(client, reference_units, admin_user,
                                                         province_admin):
    unit_update(actor=province_admin, unit=reference_units["56"], name_en="Khanh Hoa")
    unit_update(actor=admin_user, unit=reference_units["58"], name_en="Ninh Thuan")
    client.force_login(province_admin)
    page = client.get("/audit/").content.decode()
    assert "Khanh Hoa" in page and "Ninh Thuan" not in page
    client.force_login(admin_user)
    page = client.get("/audit/", {"action": "unit.updated"}).content.decode()
    assert "Khanh Hoa" in page and "Ninh Thuan" in page


def test_others_may_not_read_it(client, reference_units):
    leader = staff_user(unit=reference_units["56"])
    grant(leader, "leader", reference_units["56"])
    client.force_login(leader)
    assert client.get("/audit/").status_code == 403
    assert 'href="/audit/"' not in client.get("/").content.decode()
