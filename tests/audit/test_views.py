from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from tests.factories import grant, staff_user
from tinhso.audit.display import detail_lines
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


def test_the_details_read_as_field_before_and_after_with_dates_as_written_in_vietnam(
        client, reference_units, admin_user):
    unit_update(actor=admin_user, unit=reference_units["58"], name_en="Ninh Thuan",
                valid_to=date(2025, 6, 29))
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"
    page = client.get("/audit/", {"action": "unit.updated"}).content.decode()
    details = page[page.index('data-testid="audit-details"'):]
    details = details[:details.index("</ul>")]
    assert "{" not in details and "'from'" not in details  # no Python dict on the page
    assert "<strong>Name in English</strong>" in details
    assert "→ <ins>Ninh Thuan</ins>" in details
    assert "<del>30/06/2025</del> → <ins>29/06/2025</ins>" in details
    assert "2025-06-29" not in details


def test_detail_lines_label_known_fields_and_show_the_rest_plainly():
    with translation.override("en"):
        lines = detail_lines({"indicator": "dti_rank", "year": 2030, "value": "25",
                          "due": "2026-11-17T09:00:00+07:00", "extra_thing": True})
        assert [(line.label, line.value) for line in lines] == [
            ("Indicator", "dti_rank"), ("Year", "2030"), ("Value", "25"),
            ("Due", "09:00 17/11/2026"), ("extra thing", "yes")]
    assert detail_lines(None) == []


def test_the_programme_and_load_details_have_labels_and_codes_read_as_words():
    task_created = {"lead_unit": "56.TTR", "support_units": ["56.SKHCN"], "start_on": "2026-03-02",
                    "due_on": "2026-09-30", "assigned_by": "16-NQ/TU"}
    task_closed = {"done_on": "2025-12-19", "late": False, "result_document": "318/BC-STP"}
    loaded = {"accounts_created": 522, "tasks_and_reports_created": 107}
    with translation.override("en"):
        assert [(line.label, line.value) for line in detail_lines(task_created)] == [
            ("Lead unit", "56.TTR"), ("Supporting units", "56.SKHCN"), ("Start", "02/03/2026"),
            ("Due date", "30/09/2026"), ("Assigned by", "16-NQ/TU")]
        assert [line.label for line in detail_lines(task_closed)] == [
            "Completed on", "Late", "Result document"]
        assert [line.label for line in detail_lines(loaded)] == [
            "Accounts created", "Tasks and reports created"]


def test_a_status_change_reads_before_and_after_in_words():
    with translation.override("en"):
        change, reason = detail_lines({"from": "submitted", "to": "returned", "reason": "Sai"})
        assert (change.label, change.before, change.value, change.changed) == (
            "Change", "Submitted", "Returned", True)
        assert (reason.label, reason.value) == ("Reason", "Sai")
        status, channel = detail_lines({"status": "approved", "channel": "in_person"})
        assert (status.value, channel.value) == ("Approved", "In person")
        # a code in a field that is not a status stays as it is
        assert detail_lines({"note": "approved"})[0].value == "approved"
