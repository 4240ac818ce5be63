"""ILLUSTRATIVE work waiting for each demo account the day the demo is loaded (``work.json``):

- an open collection round of the current year, run by the coordinator, with values the
  Department of Finance's reporter entered: some submitted (for the approver and the
  coordinator to approve; the author never approves their own), one returned to the reporter
  for correction by the approver, one still a draft;
- self-assessment answers of the department, waiting for the coordinator's verification;
- dossiers at Phường Nha Trang: the citizen's, one waiting for its supplement and one whose
  result was handed over (to rate); the business's, resolved with its result to collect; at the
  desk, one overdue and one due today (or, loaded after the day's work, on the next working
  day), on the working-day calendar.

Everything goes through the apps' services with the demo accounts, so the history and the audit
log are those of real use; what the services do not mark, this module marks illustrative (the
values, the dossiers) with the demo's source. Each piece is created once: a second run creates
nothing. A demo account that does not exist (removed) leaves its piece out.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tinhso.accounts.models import User
from tinhso.core.workdays import WorkCalendar
from tinhso.demo.dossiers import SOURCE
from tinhso.indicators.models import CollectionRound, Indicator, IndicatorValue
from tinhso.indicators.rounds import round_open
from tinhso.indicators.services import value_return, value_save
from tinhso.procedures.models import Dossier, Procedure
from tinhso.procedures.services import (
    Applicant,
    calendar_for,
    dossier_approve,
    dossier_receive,
    dossier_request_supplement,
    dossier_return_result,
    dossier_submit,
)
from tinhso.scoring.engine import load_framework
from tinhso.scoring.models import SelfAssessmentAnswer
from tinhso.scoring.services import answer_submit
from tinhso.units.models import Unit

DATA = Path(__file__).resolve().parent / "data" / "work.json"
PHONE = "0900000000"  # the illustrative dossiers' phone number (dossiers.py's too)


def _data() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def _users(data: dict[str, Any]) -> dict[str, Any]:
    names = {data["round"]["by"], data["answers"]["by"]}
    names |= {row["by"] for row in data["values"]}
    names |= {row["returned_by"] for row in data["values"] if row.get("returned_by")}
    names |= {row.get("account") or row["desk"] for row in data["dossiers"]}
    return {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}


def working_days_before(calendar: WorkCalendar, day: date, count: int) -> date:
    """The working day ``count`` working days before ``day`` (``day`` itself for 0, or the
    working day before it when it is not one)."""
    if count == 0 and calendar.is_working_day(day):
        return day
    found = 0
    while found < max(count, 1):
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            found += 1
    return day


def working_days_after(calendar: WorkCalendar, day: date, count: int) -> date:
    for _n in range(count):
        day = calendar.next_working_day(day)
    return day


def load_round(data: dict[str, Any], users: dict[str, Any], now: datetime) -> Counter[str]:
    """The coordinator's open round of the current year, then the reporter's values in it, and
    the approver's return of one."""
    counts: Counter[str] = Counter()
    spec = data["round"]
    coordinator = users.get(spec["by"])
    title = spec["title"].format(year=now.year)
    if coordinator is None or CollectionRound.objects.filter(title=title).exists():
        counts["same"] += 1
        return counts
    units = {u.code: u for u in Unit.objects.filter(
        code__in=[*spec["units"], spec["owner"], *(r["unit"] for r in data["values"])])}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=spec["indicators"])}
    period = str(now.year)
    deadline = working_days_after(calendar_for(now), now.date(), spec["working_days_to_deadline"])
    round_open(actor=coordinator, title=title, period=period, deadline=deadline,
               indicators=[indicators[c] for c in spec["indicators"]],
               units=[units[c] for c in spec["units"]], owner_unit=units[spec["owner"]])
    counts["created"] += 1
    for row in data["values"]:
        author, unit = users.get(row["by"]), units[row["unit"]]
        if author is None:
            continue
        value = value_save(actor=author, indicator=indicators[row["indicator"]], unit=unit,
                           period=period, value=row["value"], source=SOURCE,
                           comment="(minh họa)", submit=row["submit"])
        if row.get("returned_by") in users:
            value = value_return(actor=users[row["returned_by"]], value=value,
                                 reason=row["reason"])
        IndicatorValue.objects.filter(pk=value.pk).update(is_illustrative=True)
        counts["created"] += 1
    return counts


def load_answers(data: dict[str, Any], users: dict[str, Any], now: datetime) -> Counter[str]:
    """The department's self-assessment answers of the current year, waiting for the
    coordinator."""
    counts: Counter[str] = Counter()
    spec = data["answers"]
    author = users.get(spec["by"])
    unit = Unit.objects.get(code=spec["unit"])
    if author is None or SelfAssessmentAnswer.objects.filter(
            framework=spec["framework"], year=now.year, unit=unit).exists():
        counts["same"] += 1
        return counts
    framework = load_framework(spec["framework"])
    for code, value in spec["values"].items():
        answer_submit(actor=author, framework=framework, year=now.year, unit=unit, code=code,
                      value=value, comment=f"{SOURCE}: tự đánh giá để trình diễn.")
        counts["created"] += 1
    return counts


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4\n% minh hoa (illustrative)\n%%EOF\n",
                              content_type="application/pdf")


def _received(calendar: WorkCalendar, now: datetime, working_days_ago: int) -> datetime:
    """Now for a dossier received today; else 08:00 that many working days before."""
    if working_days_ago == 0:
        return now
    day = working_days_before(calendar, now.date(), working_days_ago)
    return datetime.combine(day, time(8), now.tzinfo)


def _arrive(row: dict[str, Any], procedure: Procedure, unit: Unit, users: dict[str, Any],
            at: datetime) -> Dossier:
    """The citizen's or business's online submission, or the desk's receipt in person."""
    applicant = Applicant(name=row["applicant"], phone=PHONE)
    if row.get("account"):
        files = {f"doc.{d['code']}": _pdf(d["code"]) for d in procedure.required_documents
                 or []}
        return dossier_submit(account=users[row["account"]], procedure=procedure, unit=unit,
                              applicant=applicant, form_data=row["form"], files=files, now=at)
    return dossier_receive(actor=users[row["desk"]], procedure=procedure, unit=unit,
                           channel="in_person", applicant=applicant, form_data=row["form"],
                           digitised=True, now=at)


def _step(action: str, note: str, officer: Any, dossier: Dossier, at: datetime) -> Dossier:
    if action == "request_supplement":
        return dossier_request_supplement(actor=officer, dossier=dossier, reason=note, now=at)
    if action == "approve":
        return dossier_approve(actor=officer, dossier=dossier, note=note, now=at)
    if action == "return_result":
        return dossier_return_result(actor=officer, dossier=dossier, now=at)
    raise ValueError(f"unknown demo step {action!r}")


def load_dossiers(data: dict[str, Any], users: dict[str, Any], now: datetime) -> Counter[str]:
    """Each dossier of ``work.json`` unless one of that procedure and applicant is at the
    ward already; the ward's officer takes the steps, an hour apart, none after now."""
    counts: Counter[str] = Counter()
    ward = Unit.objects.get(code="22366")
    officer = users.get("motcua.nhatrang")
    calendar = calendar_for(now)
    procedures = {p.name: p for p in Procedure.objects.filter(
        name__in=[row["procedure"] for row in data["dossiers"]])}
    for row in data["dossiers"]:
        procedure = procedures.get(row["procedure"])
        actor = users.get(row.get("account") or row["desk"])
        if procedure is None or actor is None or (row["steps"] and officer is None) or \
                Dossier.objects.filter(unit=ward, procedure=procedure,
                                       applicant_name=row["applicant"]).exists():
            counts["same"] += 1
            continue
        received = _received(calendar, now, row["working_days_ago"])
        dossier = _arrive(row, procedure, ward, users, received)
        for n, (action, note) in enumerate(row["steps"], start=1):
            dossier = _step(action, note, officer, dossier,
                            min(received + timedelta(hours=n), now))
        Dossier.objects.filter(pk=dossier.pk).update(is_illustrative=True, source=SOURCE)
        counts["created"] += 1
    return counts


def load_work(now: datetime | None = None) -> Counter[str]:
    """The demo accounts' work of the load day (see the module's description)."""
    now = timezone.localtime(now)
    data = _data()
    users = _users(data)
    counts = load_round(data, users, now)
    counts.update(load_answers(data, users, now))
    counts.update(load_dossiers(data, users, now))
    return counts
