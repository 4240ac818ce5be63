"""The dossier time rules: each predicate of ``procedures.rules`` and its query form in
``procedures.rule_queries`` agree on dossiers of every trait, at several moments; and the desk,
the applicant's page, the public look-up and the API show the same word for the same dossier."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import DossierFactory, grant, staff_user
from tinhso.procedures import queues, rules
from tinhso.procedures.models import Dossier
from tinhso.procedures.rule_queries import (
    due_today_q,
    end_of_today,
    late_at_period_end_q,
    open_at_q,
    overdue_q,
)
from tinhso.procedures.selectors import lateness

TRAITS = ("", "processing", "overdue", "paused_in_time", "paused_after_due", "resolved_on_time",
          "resolved_late", "refused", "returned", "two_supplements", "withdrawn", "imported",
          "online")


def _make(trait: str, **extra: Any) -> Dossier:
    return DossierFactory(**({trait: True} if trait else {}), **extra)


@pytest.fixture
def every_trait(db: None) -> dict[str, Dossier]:
    made = {trait or "received": _make(trait) for trait in TRAITS}
    made["paused_after_due_twice"] = _make("paused_after_due", two_supplements=True)
    made["due_in_a_minute"] = _make("processing", due_at=timezone.now() + timedelta(minutes=1))
    return made


def _moments() -> list[datetime]:
    now = timezone.now()
    return [now, now - timedelta(days=40), now - timedelta(days=20), now + timedelta(days=3)]


def test_overdue_and_due_today_agree_with_their_queries(every_trait: dict[str, Dossier]) -> None:
    for now in _moments():
        end = end_of_today(now)
        overdue = set(Dossier.objects.filter(overdue_q(now)).values_list("pk", flat=True))
        today = set(Dossier.objects.filter(due_today_q(now, end)).values_list("pk", flat=True))
        for name, dossier in every_trait.items():
            assert (dossier.pk in overdue) == rules.is_overdue(dossier, now), (name, now)
            assert (dossier.pk in today) == rules.is_due_today(dossier, now, end), (name, now)


def test_late_at_period_end_agrees_with_its_query(every_trait: dict[str, Dossier]) -> None:
    for end in _moments():
        still_open = Dossier.objects.filter(open_at_q(end), status__in=("received",
                                                                        "processing",
                                                                        "supplement"))
        late = set(still_open.filter(late_at_period_end_q(end)).values_list("pk", flat=True))
        for dossier in still_open:
            assert (dossier.pk in late) == rules.late_at_period_end(dossier, end), dossier.code


def test_the_rules_say_what_the_traits_mean(every_trait: dict[str, Dossier]) -> None:
    now = timezone.now()
    word = {name: lateness(d, now) for name, d in every_trait.items()}
    assert word["overdue"] == word["paused_after_due"] == "overdue"
    assert word["paused_after_due_twice"] == "overdue"
    assert word["processing"] == word["paused_in_time"] == word["received"] == ""
    assert word["resolved_late"] == "late" and word["resolved_on_time"] == ""
    assert word["withdrawn"] == ""
    # Asked twice: not overdue at the desk, but late in the Decision 766 statistics.
    twice = every_trait["two_supplements"]
    assert not rules.is_overdue(twice, now) and rules.late_at_period_end(twice, now)
    assert rules.is_due_today(every_trait["due_in_a_minute"], now, end_of_today(now)) or (
        end_of_today(now) <= every_trait["due_in_a_minute"].due_at)


def test_on_time_is_by_the_due_time_with_at_most_one_supplement() -> None:
    due = datetime(2026, 11, 17, 17, 0, tzinfo=timezone.get_default_timezone())
    assert rules.on_time(due, due, 1)
    assert not rules.on_time(due + timedelta(seconds=1), due, 0)
    assert not rules.on_time(due - timedelta(days=1), due, 2)


@pytest.mark.parametrize("trait", ["overdue", "paused_after_due", "paused_in_time",
                                   "processing", "resolved_late", "two_supplements"])
def test_desk_applicant_lookup_and_api_show_the_same_word(client: Any, db: None,
                                                          trait: str) -> None:
    dossier = DossierFactory(online=True, **{trait: True})
    now = timezone.now()
    expected = rules.lateness(dossier, dossier.on_time, now)
    officer = staff_user(unit=dossier.unit, username=f"officer-{trait}")
    grant(officer, "officer", dossier.unit)

    # the desk: the row's mark and the queue's "overdue" filter
    row = queues.marks(dossier, now)
    assert row.overdue == (expected == "overdue")
    marked = queues.queue(officer, queues.QueueFilter(mark="overdue"), now)
    assert (dossier in marked) == (expected == "overdue")

    # the API, as the officer: the dossier, and the list filtered by overdue
    client.force_login(officer)
    desk_page = client.get(f"/desk/{dossier.code}/").content.decode()
    assert ('data-mark="overdue"' in desk_page) == (expected == "overdue")
    data = client.get(f"/api/v1/dossiers/{dossier.code}/").json()
    assert data["overdue"] == (expected == "overdue")
    listed = client.get("/api/v1/dossiers/?overdue=true").json()
    assert (dossier.code in {d["code"] for d in listed["items"]}) == (expected == "overdue")
    client.logout()

    # the public look-up (page and API)
    looked = client.get("/api/v1/dossiers/lookup/",
                        {"code": dossier.code, "phone": dossier.applicant_phone}).json()
    assert looked["overdue"] == (expected == "overdue")
    page = client.post("/dossiers/lookup/", {"code": dossier.code,
                                             "phone": dossier.applicant_phone})
    assert (f'data-testid="{expected}"' in page.content.decode()) == bool(expected)

    # the applicant's own page
    client.force_login(dossier.applicant)
    own = client.get(f"/dossiers/{dossier.code}/")
    assert (f'data-testid="{expected}"' in own.content.decode()) == bool(expected)


def test_unsatisfactory_agrees_with_its_query(every_trait: dict[str, Dossier]) -> None:
    """Decision 766 item 5.4: dissatisfied, with feedback, or late."""
    from tinhso.procedures.models import Complaint, Rating
    from tinhso.procedures.rule_queries import unsatisfactory_q

    now = timezone.now()
    rated = [d for d in every_trait.values() if d.finished_at][:2]
    Rating.objects.create(dossier=rated[0], level=2, at=now)  # dissatisfied
    Rating.objects.create(dossier=rated[1], level=5, at=now)
    Complaint.objects.create(dossier=every_trait["processing"], text="?", at=now)
    for end in _moments():
        received = Dossier.objects.filter(received_at__lt=end)
        bad = set(received.filter(unsatisfactory_q(end)).values_list("pk", flat=True))
        for name, dossier in every_trait.items():
            if dossier.received_at >= end:
                continue
            level = Rating.objects.filter(dossier=dossier).values_list("level", flat=True)
            expected = rules.unsatisfactory(
                dossier, on_time_flag=dossier.on_time, finished_at=dossier.finished_at,
                withdrawn_at=dossier.withdrawn_at, dissatisfied=any(v < 3 for v in level),
                has_feedback=dossier.complaints.exists(), end=end)
            assert (dossier.pk in bad) == expected, (name, end)
    assert rated[0].pk in bad and every_trait["processing"].pk in bad
