"""Dossiers feed the indicators and the Decision 766 score, and every figure traces back."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from tests.procedures.conftest import TUESDAY_9AM, VN
from tinhso.indicators.models import Indicator, IndicatorValue
from tinhso.indicators.selectors import compute
from tinhso.procedures import figures, publication
from tinhso.procedures.models import Channel, Procedure
from tinhso.procedures.services import (
    Applicant,
    dossier_answer_supplement,
    dossier_approve,
    dossier_rate,
    dossier_receive,
    dossier_request_supplement,
)
from tinhso.units.models import Unit

BIRTH = "Đăng ký khai sinh"  # the same working day
MARITAL = "Cấp Giấy xác nhận tình trạng hôn nhân"  # 3 working days

pytestmark = pytest.mark.django_db


def _figures(province, code):
    rows = {f.unit.code: f for f in figures.service_figures(province, 2026)}
    return rows[code]


def test_dossiers_become_indicator_values_rates_and_a_766_score(
        submit, desk, applicant_user, catalogue, reference_units, khanh_hoa,
        django_capture_on_commit_callbacks):
    officer = desk["commune"]
    with django_capture_on_commit_callbacks(execute=True):
        online = submit("Cấp Giấy xác nhận tình trạng hôn nhân", paid_online=True)
        dossier_approve(actor=officer, dossier=online, now=TUESDAY_9AM + timedelta(hours=1))
        dossier_rate(account=applicant_user, dossier=online, level=5,
                     now=TUESDAY_9AM + timedelta(hours=2))
        dossier_receive(actor=officer, procedure=catalogue["Chứng thực chữ ký"],
                        unit=reference_units["22366"], channel=Channel.IN_PERSON,
                        applicant=Applicant("Trần Thị C", "0912345678"), form_data={},
                        now=TUESDAY_9AM)
    # Published after the commit, as approved values of the commune for 2026.
    stored = dict(IndicatorValue.objects.filter(unit__code="22366", period="2026")
                  .values_list("indicator__code", "value"))
    assert stored["dossiers_received"] == Decimal(2) and stored["dossiers_online"] == 1
    commune = _figures(khanh_hoa, "56")  # the province sums its communes
    assert commune.counts["dossiers_received"] == 2
    assert commune.rates["online_dossiers_rate"] == pytest.approx(50.0)
    # One resolved on time; the desk's dossier of 17/11 is still open today, and late.
    assert commune.counts["dossiers_in_progress"] == commune.counts["dossiers_open_overdue"] == 1
    assert commune.rates["on_time_rate"] == pytest.approx(50.0)
    assert commune.rates["satisfaction_rate"] == pytest.approx(100.0)
    before = commune.score_766
    assert before is not None and 0 < before <= 100

    # A late dossier lowers the on-time rate and the score.
    with django_capture_on_commit_callbacks(execute=True):
        late = submit("Đăng ký khai sinh")
        dossier_approve(actor=officer, dossier=late, now=TUESDAY_9AM + timedelta(days=3))
    after = _figures(khanh_hoa, "56")
    assert after.rates["on_time_rate"] == pytest.approx(100 / 3)
    assert after.score_766 is not None and after.score_766 < before
    # A figure published for 2020 (before the platform's records) stands beside 2026's.
    IndicatorValue.objects.create(indicator=Indicator.objects.get(code="online_dossiers_rate"),
                                  unit=khanh_hoa, period="2020", value=56,
                                  source="Báo Khánh Hòa (2021)")
    computed = compute(codes=["online_dossiers_rate"], root=khanh_hoa)
    assert computed.value("online_dossiers_rate", khanh_hoa, "2020") == 56.0
    assert computed.value("online_dossiers_rate", khanh_hoa, "2026") == pytest.approx(
        200 / 3)


def test_every_figure_traces_back_to_its_dossiers(submit, desk, khanh_hoa):
    first = submit("Đăng ký khai sinh")
    submit("Cấp Phiếu lý lịch tư pháp", unit="56.STP")
    dossier_approve(actor=desk["commune"], dossier=first, now=TUESDAY_9AM + timedelta(hours=1))
    publication.publish_all()
    assert [d.code for d in figures.trace("dossiers_online", khanh_hoa, 2026)] == [
        first.code, "56.STP-261117-0001"]  # by receipt time, then code
    assert [d.code for d in figures.trace("dossiers_resolved_on_time", khanh_hoa, 2026)] \
        == [first.code]
    assert figures.rate_inputs("online_dossiers_rate") == ("dossiers_online",
                                                           "dossiers_received")
    assert figures.rate_inputs("on_time_rate") == (
        "dossiers_resolved_on_time", "dossiers_in_progress", "dossiers_open_overdue",
        "dossiers_resolved")


def test_open_dossiers_count_on_time_until_late_with_the_supplement_waits_left_out(
        submit, desk, applicant_user, reference_units):
    """Decision 766: a dossier still open at the period's end is on time unless past its due
    time (the clock stopped while waiting for a supplement), or asked for more than once."""
    officer, commune = desk["commune"], reference_units["22366"]
    hour = timedelta(hours=1)
    in_time = submit(MARITAL)  # 3 working days: due on Friday 20/11
    past_due = submit(BIRTH)  # the same working day
    paused = submit(MARITAL)  # waits for a supplement asked before its due time
    dossier_request_supplement(actor=officer, dossier=paused, reason="Bổ sung",
                               now=TUESDAY_9AM + hour)
    twice = submit(MARITAL)  # asked twice: late whatever the time
    dossier_request_supplement(actor=officer, dossier=twice, reason="Bổ sung",
                               now=TUESDAY_9AM + hour)
    dossier_answer_supplement(account=applicant_user, dossier=twice, note="Đã bổ sung",
                              now=TUESDAY_9AM + 2 * hour)
    dossier_request_supplement(actor=officer, dossier=twice, reason="Bổ sung lần hai",
                               now=TUESDAY_9AM + 3 * hour)
    done = submit(BIRTH)
    dossier_approve(actor=officer, dossier=done, now=TUESDAY_9AM + hour)

    wednesday = TUESDAY_9AM + timedelta(days=1)
    counts = publication.year_counts([commune.pk], 2026, now=wednesday)[commune.pk]
    assert counts["dossiers_in_progress"] == 4 and counts["dossiers_open_overdue"] == 2
    assert counts["dossiers_resolved"] == counts["dossiers_resolved_on_time"] == 1
    late = figures.trace("dossiers_open_overdue", commune, 2026, now=wednesday)
    assert {d.code for d in late} == {past_due.code, twice.code}

    # A week later the first is late too; the paused one is not: its clock stopped in time.
    later = publication.year_counts([commune.pk], 2026, now=wednesday + timedelta(days=7))
    assert later[commune.pk]["dossiers_open_overdue"] == 3
    assert in_time.code in {d.code for d in figures.trace(
        "dossiers_open_overdue", commune, 2026, now=wednesday + timedelta(days=7))}


def test_a_dossier_open_across_new_year_counts_in_the_year_it_was_open_at(
        submit, desk, reference_units):
    officer, commune = desk["commune"], reference_units["22366"]
    dossier = submit(MARITAL, at=datetime(2025, 12, 30, 9, 0, tzinfo=VN))  # due 02/01/2026
    dossier_approve(actor=officer, dossier=dossier, now=datetime(2026, 1, 2, 8, 0, tzinfo=VN))
    last_year = publication.year_counts([commune.pk], 2025)[commune.pk]
    assert last_year["dossiers_in_progress"] == 1 and last_year["dossiers_open_overdue"] == 0
    this_year = publication.year_counts([commune.pk], 2026)[commune.pk]
    assert this_year["dossiers_in_progress"] == 0
    assert this_year["dossiers_resolved"] == this_year["dossiers_resolved_on_time"] == 1


def test_the_public_statistics_page_the_home_dashboard_and_the_staff_trace(
        client, submit, desk, khanh_hoa):
    dossier = submit("Đăng ký khai sinh")
    dossier_approve(actor=desk["commune"], dossier=dossier, now=TUESDAY_9AM + timedelta(hours=1))
    submit("Cấp Phiếu lý lịch tư pháp", unit="56.STP")
    publication.publish_all()
    page = client.get("/services/statistics/?year=2026", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'stat-online"><p class="big">100,00' in text  # both online (Vietnamese format)
    assert 'data-unit="22366"' in text and 'data-unit="56.STP"' in text
    assert "1/1 hồ sơ đã giải quyết đúng hạn; 1 hồ sơ đang giải quyết" in text  # STP: open
    assert "which dossiers" not in text  # the public sees figures, not dossier codes
    assert client.get("/services/statistics/trace/?indicator=on_time_rate&unit=56&year=2026"
                      ).status_code in (302, 403)
    client.force_login(desk["commune"])
    commune = client.get("/services/statistics/trace/?indicator=on_time_rate&unit=22366"
                         "&year=2026").content.decode()
    assert dossier.code in commune and "56.STP-" not in commune
    assert client.get("/services/statistics/trace/?indicator=on_time_rate&unit=56&year=2026"
                      ).status_code == 403
    home = client.get("/").content.decode()
    assert 'data-testid="home-online-rate"' in home
    # The services online, from the catalogue (the sample's 13 of 15: illustrative).
    assert 'home-services-online"><p class="big">86,67' in home
    client.logout()
    text = client.get("/services/statistics/?year=2026").content.decode()
    assert 'stat-services-online"><p class="big">86,67' in text
    assert 'data-testid="catalogue-note"' in text


def test_many_changes_wait_as_one_publication(submit, khanh_hoa,
                                              django_capture_on_commit_callbacks):
    from tinhso.procedures.models import PendingPublication

    with django_capture_on_commit_callbacks(execute=False):
        submit("Đăng ký khai sinh")
        submit("Đăng ký khai tử")
    pending = PendingPublication.objects.get()  # one agency, one year: one row, one task
    assert pending.unit.code == "22366" and pending.requested == 2
    # 12 counts of the aggregate and the open dossiers, 2 recorded by the officer (data reused,
    # population database), 9 more for Decision 766 (counts766), and the province's own count
    # of procedures paid online
    assert publication.publish_statistics.call([pending.unit_id], [pending.year]) == 24
    assert not PendingPublication.objects.exists()
    assert _figures(khanh_hoa, "56").counts["dossiers_received"] == 2


def test_the_statistics_api_gives_the_page_s_figures(client, submit, desk, khanh_hoa):
    dossier = submit("Đăng ký khai sinh")
    dossier_approve(actor=desk["commune"], dossier=dossier, now=TUESDAY_9AM + timedelta(hours=1))
    publication.publish_all()
    body = client.get("/api/v1/statistics/services/?unit=56&year=2026").json()
    assert body["unit"]["counts"]["dossiers_received"] == 1
    assert body["unit"]["rates"]["on_time_rate"] == 100
    assert [row["unit"] for row in body["below"]] == ["22366"]
    assert body["below"][0]["score_766"] > 0
    assert client.get("/api/v1/statistics/services/?unit=XX").status_code == 404


def test_the_daily_publish_catches_dossiers_that_turned_late_with_no_action(
        submit, reference_units):
    from io import StringIO

    from django.core.management import call_command

    commune = reference_units["22366"]
    submit(MARITAL)  # received 17/11/2026, due 20/11: late by now, with nothing recorded since
    publication.publish([commune.pk], [2026], now=TUESDAY_9AM + timedelta(hours=1))
    stored = IndicatorValue.objects.filter(unit=commune, period="2026")
    assert stored.get(indicator__code="dossiers_open_overdue").value == 0
    out = StringIO()
    call_command("dossiers", "publish", "--year", "2026", stdout=out)
    assert "indicator values written for 2026" in out.getvalue()
    assert stored.get(indicator__code="dossiers_open_overdue").value == 1
    assert stored.get(indicator__code="dossiers_in_progress").value == 1


def test_the_daily_publish_counts_an_agency_whose_dossiers_are_all_from_last_year(
        submit, reference_units):
    """No dossier of this year, no aggregate row this year: its open dossier still counts."""
    from django.utils import timezone

    commune, year = reference_units["22366"], timezone.localdate().year
    submit(MARITAL, at=datetime(year - 1, 12, 30, 9, 0, tzinfo=VN))
    publication.publish_all([year])
    stored = IndicatorValue.objects.get(unit=commune, period=str(year),
                                        indicator__code="dossiers_in_progress")
    assert stored.value == 1


def test_the_catalogue_gives_each_agency_its_services_online_and_the_766_score_counts_them(
        submit, catalogue, khanh_hoa, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit("Đăng ký khai sinh")
    before = _figures(khanh_hoa, "22366")
    assert before.rates["online_services_rate"] is None and before.score_766 is not None

    counts = publication.catalogue_counts()
    fees = ("procedures_fee_payable", "procedures_payment_integrated")
    by_code = {u.code: {k: v for k, v in counts[u.pk].items() if k not in fees}
               for u in Unit.objects.filter(pk__in=counts)}
    # of the commune's 12, 9 take a fee, 7 of those are offered online (payable online)
    commune_fees = counts[Unit.objects.get(code="22366").pk]
    assert (commune_fees["procedures_fee_payable"],
            commune_fees["procedures_payment_integrated"]) == (9, 7)
    # A commune implements the 12 commune-level procedures of the sample, 10 of them online
    # (the two attestations are not); the Department of Justice its one; the province each
    # of the 15 procedures once, not once per commune.
    assert by_code["22366"] == {"procedures_total": 12, "procedures_online": 10,
                                "procedures_published_in_full": 10}
    assert by_code["56.STP"] == {"procedures_total": 1, "procedures_online": 1,
                                 "procedures_published_in_full": 1}
    assert by_code["56"] == {"procedures_total": 15, "procedures_online": 13,
                             "procedures_published_in_full": 13}

    publication.publish_catalogue()
    province, commune = _figures(khanh_hoa, "56"), _figures(khanh_hoa, "22366")
    assert province.rates["online_services_rate"] == pytest.approx(1300 / 15)
    assert commune.rates["online_services_rate"] == pytest.approx(1000 / 12)
    assert commune.rates["procedures_published_rate"] == pytest.approx(1000 / 12)
    # services online: tracked by the portal without points (3.1); published in full (1.3):
    # 2 points x the rate; fees payable online (3.5): 7 of 9, full 2 points from 80 %
    assert commune.score_766 == pytest.approx(before.score_766 + 2 * (1000 / 12) / 100
                                              + 2 * (700 / 9) / 80)
    stored = IndicatorValue.objects.get(indicator__code="procedures_online", unit__code="56")
    assert stored.is_illustrative  # the shipped sample is not a province's catalogue

    # A procedure taken offline, and a catalogue that is the province's own (not the sample).
    Procedure.objects.filter(name="Đăng ký khai sinh").update(online_level="none")
    Procedure.objects.update(source="Cổng Dịch vụ công quốc gia")
    publication.publish_all([timezone.localdate().year])  # the daily refresh includes it
    assert _figures(khanh_hoa, "22366").rates["online_services_rate"] == pytest.approx(75.0)
    stored.refresh_from_db()
    assert stored.value == 12 and not stored.is_illustrative


def test_a_publication_cut_before_its_end_is_published_by_its_rerun(
        submit, khanh_hoa, django_capture_on_commit_callbacks):
    """The worker killed or the database gone mid-publication: the pending row is still
    there, so the task run again (or the next one) publishes the figures."""
    from django.db import OperationalError

    from tinhso.procedures.models import PendingPublication

    with django_capture_on_commit_callbacks(execute=False):
        submit("Đăng ký khai sinh")
    pending = PendingPublication.objects.get()
    with mock.patch.object(publication, "values_publish_computed",
                           side_effect=OperationalError("server closed the connection")), \
            pytest.raises(OperationalError):
        publication.publish_statistics.call([pending.unit_id], [pending.year])
    assert PendingPublication.objects.filter(pk=pending.pk).exists()
    # 12 counts of the aggregate and the open dossiers, 2 recorded by the officer (data reused,
    # population database), 9 more for Decision 766 (counts766), and the province's own count
    # of procedures paid online
    assert publication.publish_statistics.call([pending.unit_id], [pending.year]) == 24
    assert not PendingPublication.objects.exists()
    assert _figures(khanh_hoa, "56").counts["dossiers_received"] == 1
