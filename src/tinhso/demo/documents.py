"""The document office's demonstration (``data/documents.json``): Khánh Hòa's real Plan
4636/KH-UBND in the Department of Finance's incoming register, and ILLUSTRATIVE documents: one
the leader assigned with its task in the programme, a request of the People's Committee answered
by the Department of Finance (the pair in both registers), and one past its deadline.

Everything goes through the document office's services with the demo accounts (``vanthu``,
``vanthu.stc``, ``lanhdao``), so the registers, numbers, steps and audit log are those of real
use; the invented documents (and the task one of them made) are then marked illustrative. Each
piece is created once: a second run creates nothing. A demo account that does not exist
(removed) leaves its piece out.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from tinhso.accounts.models import User
from tinhso.demo.work import working_days_before
from tinhso.documents import services
from tinhso.documents.models import Direction, Document
from tinhso.procedures.services import calendar_for
from tinhso.programme.models import Task, TaskGroup
from tinhso.units.models import Unit

DATA = Path(__file__).resolve().parent / "data" / "documents.json"
PROGRAMME = "16-NQ/TU"  # the programme document whose group the assigned task joins


class _Demo:
    """The data, the demo accounts and units it names, and the load's moment."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.data = json.loads(DATA.read_text(encoding="utf-8"))
        self.users = {u.username: u for u in User.objects.filter(
            username__in=["vanthu", "vanthu.stc", "lanhdao"], is_active=True)}
        self.units = {u.code: u for u in Unit.objects.filter(
            code__in=["56", "56.STC", "56.SKHCN"])}

    def at(self, working_days_ago: int, hour: int = 9) -> datetime:
        """``hour`` o'clock that many working days before the load (never after now)."""
        day = working_days_before(calendar_for(self.now), self.now.date(), working_days_ago)
        return min(datetime.combine(day, time(hour), self.now.tzinfo), self.now)

    def has(self, *names: str) -> bool:
        return all(name in self.users for name in names)


def _registered(unit: Unit, fields: dict[str, Any]) -> bool:
    return Document.objects.filter(unit=unit, direction=Direction.INCOMING,
                                   number=fields["number"], notation=fields["notation"]).exists()


def _incoming(demo: _Demo, spec: dict[str, Any], at: datetime) -> Document:
    fields = dict(spec["fields"])
    if "issuer_unit" in fields:  # the province's own code, as this installation knows it
        fields["issuer_code"] = demo.units[fields.pop("issuer_unit")].agency_code
    issued_on = fields.get("issued_on")
    fields["issued_on"] = (date.fromisoformat(issued_on) if issued_on else
                           working_days_before(calendar_for(at), at.date(), 1))
    return services.incoming_register(actor=demo.users[spec["by"]], unit=demo.units[spec["unit"]],
                                      now=at, **fields)


def load_real(demo: _Demo) -> Counter[str]:
    counts: Counter[str] = Counter()
    for spec in demo.data["real"]:
        if not demo.has(spec["by"]) or _registered(demo.units[spec["unit"]], spec["fields"]):
            counts["same"] += 1
            continue
        _incoming(demo, spec, datetime.fromisoformat(spec["arrived"]))
        counts["created"] += 1
    return counts


def _assigned(demo: _Demo, key: str) -> Document | None:
    """The incoming document of ``key`` registered and assigned (None when it exists already
    or an account is missing)."""
    spec = demo.data[key]
    if not demo.has(spec["by"], spec["leader"]) or _registered(demo.units[spec["unit"]],
                                                               spec["fields"]):
        return None
    at = demo.at(spec["working_days_ago"])
    document = _incoming(demo, spec, at)
    group = (TaskGroup.objects.get(document__number=PROGRAMME, code=spec["task_group"]).pk
             if spec.get("task_group") else None)
    assignment = services.document_direct(
        actor=demo.users[spec["leader"]], document=document, lead_unit=demo.units[spec["lead"]],
        support_units=[demo.units[c] for c in spec.get("support", [])],
        working_days=spec["working_days"], instruction=spec["instruction"], task_group=group,
        now=at + timedelta(hours=1))
    if assignment.task_id is not None:
        Task.objects.filter(pk=assignment.task_id).update(is_illustrative=True)
    return document


def load_pair(demo: _Demo) -> Counter[str]:
    """The People's Committee's request to the Department of Finance, assigned there and
    answered: the pair in both registers, the request answered on time."""
    spec = demo.data["pair"]
    ask, direction, answer = spec["request"], spec["direction"], spec["answer"]
    people = (ask["drafted_by"], ask["issued_by"], direction["by"], answer["drafted_by"],
              answer["issued_by"])
    province = demo.units[ask["unit"]]
    if not demo.has(*people) or Document.objects.filter(
            unit=province, direction=Direction.OUTGOING, subject=ask["subject"]).exists():
        return Counter(same=1)
    draft = services.outgoing_draft(
        actor=demo.users[ask["drafted_by"]], unit=province, kind=ask["kind"],
        notation=ask["notation"], subject=ask["subject"],
        recipients=[demo.units[c] for c in ask["to"]])
    request = services.outgoing_issue(
        actor=demo.users[ask["issued_by"]], document=draft, signer_name=ask["signer_name"],
        signer_position=ask["signer_position"], now=demo.at(ask["working_days_ago"]))
    lead = demo.units[direction["lead"]]
    received = Document.objects.filter(
        unit=lead, direction=Direction.INCOMING, issuer_code=request.issuer_code,
        number=request.number, notation=request.notation).latest("pk")
    services.document_direct(
        actor=demo.users[direction["by"]], document=received, lead_unit=lead,
        working_days=direction["working_days"], instruction=direction["instruction"],
        now=demo.at(direction["working_days_ago"]))
    reply = services.outgoing_draft(
        actor=demo.users[answer["drafted_by"]], unit=lead, kind=answer["kind"],
        notation=answer["notation"], subject=answer["subject"], recipients=[province],
        reply_to=received)
    services.outgoing_issue(actor=demo.users[answer["issued_by"]], document=reply,
                            signer_name=answer["signer_name"],
                            signer_position=answer["signer_position"],
                            now=demo.at(answer["working_days_ago"]))
    return Counter(created=1)


def load_documents(now: datetime | None = None) -> Counter[str]:
    """The demonstration's documents (see the module's description)."""
    demo = _Demo(timezone.localtime(now))
    last = Document.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    counts = load_real(demo)
    real = set(Document.objects.filter(pk__gt=last).values_list("pk", flat=True))
    # in the order they arrive, so that the arrival numbers follow the days
    counts["same" if _assigned(demo, "overdue") is None else "created"] += 1
    counts["same" if _assigned(demo, "directed") is None else "created"] += 1
    counts.update(load_pair(demo))
    # the invented ones, and their copies in the addressees' registers
    Document.objects.filter(pk__gt=last).exclude(pk__in=real).update(is_illustrative=True)
    return counts
