"""ILLUSTRATIVE dossiers for the demonstration: invented applicants and times, so that the
statistics, the dashboards and the Decision 766 scores have something to show. Every one is
marked ``is_illustrative`` and its source says so; the pages say how many of their dossiers are
illustrative. Deterministic (a fixed seed) and loaded once."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from tinhso.core.workdays import WorkCalendar
from tinhso.procedures import aggregate, codes, publication, rules
from tinhso.procedures.models import (
    Channel,
    Complaint,
    Dossier,
    DossierEvent,
    DossierStatus,
    Procedure,
    Rating,
)
from tinhso.procedures.services import calendar_for
from tinhso.procedures.timelimits import due_at
from tinhso.units.models import Unit

SOURCE = "Dữ liệu minh họa"  # data people read (a dossier's source, its events' author)
EARLIER_SOURCES = ("demo (illustrative)",)  # what earlier versions wrote: loaded already
AGENCIES = {  # unit code -> (dossiers, share online, share on time): invented
    "22366": (160, 0.62, 0.93), "22333": (110, 0.48, 0.86), "22390": (90, 0.55, 0.8),
    "56.STP": (60, 0.75, 0.9), "56.STC": (50, 0.85, 0.96), "56.SXD": (30, 0.3, 0.7),
}
NAMES = ["Nguyễn Văn A", "Trần Thị B", "Lê Văn C", "Phạm Thị D", "Hoàng Văn E", "Võ Thị G"]


def load_illustrative_dossiers(today: date | None = None) -> int:
    """Create the illustrative dossiers of the current year unless they exist; returns the
    number created."""
    if Dossier.objects.filter(source__in=(SOURCE, *EARLIER_SOURCES)).exists():
        return 0
    today = today or date.today()
    rng = random.Random(2026)
    procedures = list(Procedure.objects.order_by("code"))
    units = {u.code: u for u in Unit.objects.filter(code__in=AGENCIES)}
    now = datetime.combine(today, time(8), timezone.get_default_timezone())
    calendar = calendar_for(now)
    created: list[Dossier] = []
    for code, (count, online_share, on_time_share) in AGENCIES.items():
        unit = units.get(code)
        if unit is None:
            continue
        own = [p for p in procedures if (p.receiving_unit_code == code) or (
            unit.level == "commune" and p.level == "commune")] or procedures[:1]
        for _n in range(count):
            procedure = rng.choice(own)
            received = _received(rng, today, calendar)
            if received is None:
                continue
            dossier = _dossier(rng, procedure, unit, received, calendar, online_share)
            if dossier.due_at < now - timedelta(days=1) or rng.random() < 0.5:
                _resolve(rng, dossier, now, on_time_share)
            dossier.code = codes.next_code(codes.agency_code(unit), received.date())
            created.append(dossier)
    _save(rng, created)
    aggregate.rebuild()
    publication.publish_all()
    return len(created)


def _received(rng: random.Random, today: date, calendar: WorkCalendar) -> datetime | None:
    """A working day of the year before ``today`` and an hour of the day; None when the day
    drawn is not before today."""
    day = date(today.year, 1, 2) + timedelta(days=rng.randrange(
        max((today - date(today.year, 1, 2)).days, 1)))
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    if day >= today:
        return None
    return datetime.combine(day, time(rng.choice([7, 8, 9, 10, 14, 15]),
                                      rng.choice([0, 15, 30, 45])),
                            timezone.get_default_timezone())


def _dossier(rng: random.Random, procedure: Procedure, unit: Unit, received: datetime,
             calendar: WorkCalendar, online_share: float) -> Dossier:
    """A dossier received then, online at about ``online_share`` where the procedure is."""
    due = due_at(procedure.time_rule, received, calendar)
    online = procedure.online_level != "none" and rng.random() < online_share
    dossier = Dossier(
        procedure=procedure, unit=unit,
        channel=Channel.ONLINE if online else rng.choice(
            [Channel.IN_PERSON, Channel.IN_PERSON, Channel.POSTAL]),
        applicant_name=rng.choice(NAMES) + " (minh họa)", applicant_phone="0900000000",
        received_at=received, due_at=due, digitised=online or rng.random() < 0.6,
        fee_payable=procedure.fee_payable, source=SOURCE, is_illustrative=True,
        electronic_result=procedure.result_type == "electronic",
    )
    dossier.paid_online = dossier.fee_payable and online and rng.random() < 0.7
    return dossier


def _resolve(rng: random.Random, dossier: Dossier, now: datetime, on_time_share: float) -> None:
    """Resolved (mostly returned, some refused) before ``now``, late at about 1 -
    ``on_time_share``; on time as the rules say (:func:`rules.on_time`)."""
    received, due = dossier.received_at, dossier.due_at
    late = rng.random() > on_time_share
    finished = due + timedelta(days=rng.randint(1, 5)) if late else \
        received + (due - received) * rng.uniform(0.2, 0.95)
    if finished < now:
        dossier.status = rng.choice([DossierStatus.RETURNED] * 9 + [DossierStatus.REFUSED])
        dossier.finished_at = finished
        dossier.returned_at = finished if dossier.status == "returned" else None
        dossier.on_time = rules.on_time(finished, due, dossier.supplement_count)


def _save(rng: random.Random, created: list[Dossier]) -> None:
    """The dossiers, the event of their arrival, ratings of most of those returned, and a
    little feedback (Decision 766 items 4.3, 4.5b, 5.1-5.4)."""
    extra = random.Random(766)  # its own draws: the demo's other figures stay as they were
    for d in created:
        if d.channel != Channel.ONLINE:  # what the desk officer records
            d.reused_data = extra.random() < 0.4
            d.population_data = extra.random() < 0.6
    Dossier.objects.bulk_create(created, batch_size=500)
    DossierEvent.objects.bulk_create(
        [DossierEvent(dossier=d, at=d.received_at, action="receive" if d.channel != "online"
                      else "submit", status=d.status, actor_repr=SOURCE) for d in created],
        batch_size=500)
    Rating.objects.bulk_create(
        [Rating(dossier=d, level=rng.choice([5, 5, 4, 4, 4, 3, 2]),
                at=d.finished_at + timedelta(hours=2), comment="(minh họa)")
         for d in created if d.status == DossierStatus.RETURNED and d.finished_at
         and rng.random() < 0.6], batch_size=500)
    _feedback(extra, created)


def _feedback(rng: random.Random, created: list[Dossier]) -> None:
    """Feedback on about 3 % of the dossiers, a day after receipt, due in 10 working days;
    most answered in time, some late, some still open; most answers rated, most satisfied."""
    rows = []
    for d in created:
        if rng.random() >= 0.03:
            continue
        at = d.received_at + timedelta(days=1)
        due = calendar_for(at).add_working_days(at, rules.FEEDBACK_WORKING_DAYS)
        answered = at + timedelta(days=rng.choice([2, 5, 8, 20]))
        answered_at = answered if answered < timezone.now() and rng.random() < 0.9 else None
        rows.append(Complaint(
            dossier=d, at=at, handling_unit_id=d.unit_id, due_at=due,
            category=rng.choice([Complaint.Category.PROCEDURE] * 3
                                + [Complaint.Category.CONDUCT]),
            text="(minh họa) Đề nghị hướng dẫn thêm về thành phần hồ sơ.",
            answer="(minh họa) Đã hướng dẫn." if answered_at else "", answered_at=answered_at,
            satisfied=(rng.random() < 0.8) if answered_at and rng.random() < 0.7 else None))
    Complaint.objects.bulk_create(rows, batch_size=500)
