"""After ``tinhso demo`` every demo account lands on a page with something waiting for it, made
through the apps' services on the day of the load and marked illustrative; a second load adds
nothing."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from tinhso.accounts.models import User
from tinhso.audit.models import AuditEvent
from tinhso.demo.loader import demo_accounts
from tinhso.demo.work import load_work
from tinhso.indicators.models import CollectionRound, IndicatorValue, ValueStatus
from tinhso.procedures.models import Dossier, DossierEvent
from tinhso.procedures.queues import marks
from tinhso.scoring.models import AnswerStatus, SelfAssessmentAnswer

pytestmark = pytest.mark.django_db
ACCOUNTS = ["dieuphoi", "lanhdao", "baocao.stc", "pheduyet.stc", "motcua.nhatrang", "congdan",
            "doanhnghiep"]


def needs_of(client: Any, username: str) -> dict[str, str]:
    """The "what needs me today" items of the person's landing page: link -> text."""
    client.force_login(User.objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/me/")
    assert page.status_code == 200
    html = page.content.decode()
    today = html[html.index('data-testid="today"'):]
    today = today.split('data-testid="section-', 1)[0]  # the role sections come after
    return dict(re.findall(r'<a href="([^"]+)" data-testid="need-item">([^<]*)</a>', today))


def test_each_demo_account_has_something_waiting_that_it_can_open(client: Any) -> None:
    call_command("demo", "--quiet-accounts")
    assert {a["username"] for a in demo_accounts()} >= set(ACCOUNTS)
    for username in ACCOUNTS:
        items = needs_of(client, username)
        assert items, f"{username} has nothing waiting on /me/"
        for href in items:
            assert client.get(href).status_code == 200, (username, href)


def test_the_work_is_each_role_s_own_and_illustrative(client: Any) -> None:
    loaded = timezone.now()
    call_command("demo", "--quiet-accounts")
    year = timezone.localdate().year
    collection = CollectionRound.objects.get(is_open=True, period=str(year))
    assert "minh họa" in collection.title and collection.created_by.username == "dieuphoi"
    values = IndicatorValue.objects.filter(period=str(year), unit__code="56.STC",
                                           indicator__in=collection.indicators.all())
    assert values.count() == 4 and all(v.is_illustrative for v in values)
    assert all(v.author.username == "baocao.stc" for v in values)  # never the approver's own
    statuses = sorted(values.values_list("status", flat=True))
    assert statuses == sorted([ValueStatus.SUBMITTED, ValueStatus.SUBMITTED,
                               ValueStatus.RETURNED, ValueStatus.DRAFT])
    returned = values.get(status=ValueStatus.RETURNED)
    assert returned.return_reason
    assert AuditEvent.objects.filter(action="value.returned",
                                     actor__username="pheduyet.stc").exists()
    answers = SelfAssessmentAnswer.objects.filter(unit__code="56.STC", year=year)
    assert answers.count() >= 1
    assert all(a.status == AnswerStatus.SUBMITTED for a in answers)
    mine = Dossier.objects.filter(applicant__username__in=["congdan", "doanhnghiep"])
    assert {d.status for d in mine.filter(applicant__username="congdan")} == {
        "supplement", "returned"}
    assert {d.status for d in mine.filter(applicant__username="doanhnghiep")} == {"approved"}
    assert all(d.is_illustrative and d.source == "Dữ liệu minh họa" for d in mine)
    # The desk's own: one overdue, one due today (or, after the day's work, the next day).
    desk = Dossier.objects.filter(unit__code="22366", applicant__isnull=True,
                                  applicant_name__in=["Đặng Thị Hoa (minh họa)",
                                                      "Lê Văn Bình (minh họa)"])
    overdue = desk.get(applicant_name="Đặng Thị Hoa (minh họa)")
    assert marks(overdue, loaded).overdue and overdue.is_illustrative
    soon = desk.get(applicant_name="Lê Văn Bình (minh họa)")
    assert soon.due_at >= loaded and not marks(soon, loaded).overdue
    if timezone.localtime(soon.received_at).date() == timezone.localtime(soon.due_at).date():
        assert marks(soon, loaded).due_today
    # Through the services: each dossier has its public history.
    assert DossierEvent.objects.filter(dossier__in=mine, action="request_supplement").exists()


def test_a_second_load_adds_no_work(client: Any, capsys: Any) -> None:
    call_command("demo", "--quiet-accounts")
    counts = (CollectionRound.objects.count(), IndicatorValue.objects.count(),
              SelfAssessmentAnswer.objects.count(), Dossier.objects.count(),
              DossierEvent.objects.count(), AuditEvent.objects.count())
    capsys.readouterr()
    call_command("demo", "--quiet-accounts")
    assert "0 created, 0 updated" in capsys.readouterr().out
    assert (CollectionRound.objects.count(), IndicatorValue.objects.count(),
            SelfAssessmentAnswer.objects.count(), Dossier.objects.count(),
            DossierEvent.objects.count(), AuditEvent.objects.count()) == counts
    assert needs_of(client, "pheduyet.stc")


def test_the_work_is_dated_from_the_load_day_on_the_working_day_calendar() -> None:
    """Loaded on Wednesday 25/11/2026 at 09:00: the desk's overdue dossier is overdue and the
    other due that day, the round's deadline ten working days on, the answers of that year."""
    with mock.patch("tinhso.demo.loader.load_work", return_value=Counter()):
        call_command("demo", "--quiet-accounts")
    now = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.get_default_timezone())
    assert load_work(now=now)["created"] > 0
    desk = {d.applicant_name: d for d in Dossier.objects.filter(
        applicant_name__in=["Đặng Thị Hoa (minh họa)", "Lê Văn Bình (minh họa)"])}
    overdue, today = desk["Đặng Thị Hoa (minh họa)"], desk["Lê Văn Bình (minh họa)"]
    # Nine working days back, over two weekends and Vietnam's Culture Day (24/11, a day off).
    assert timezone.localtime(overdue.received_at).date() == date(2026, 11, 11)
    assert marks(overdue, now).overdue
    assert marks(today, now).due_today and timezone.localtime(today.due_at).date() == now.date()
    collection = CollectionRound.objects.get(title__contains="2026 (minh họa)")
    assert collection.period == "2026" and collection.deadline == date(2026, 12, 9)
    assert SelfAssessmentAnswer.objects.filter(year=2026, unit__code="56.STC").exists()
    # Loaded again that day: nothing new.
    assert load_work(now=now)["created"] == 0
