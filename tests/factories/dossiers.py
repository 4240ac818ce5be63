"""Dossiers written directly (no service: no event, no audit record, no notification, no
statistics), consistent with the model's invariants and the time rules of
``tinhso.procedures.rules``:

- the due time is the procedure's time rule applied on the official calendar to ``received_at``;
- a finished dossier (approved, returned, refused) has ``finished_at`` and ``on_time`` (computed
  by the rule: by the due time, with at most one supplement request); an open or withdrawn one
  has neither;
- a dossier waiting for a supplement has ``paused_at`` and the working time that was left
  (``remaining_seconds``, negative when it was paused after its due time); no other has them;
- a withdrawn one has ``withdrawn_at``, a returned one ``returned_at``.

Times are relative to now: a plain dossier was received an hour ago; the traits that need a past
due time were received thirty days ago. Traits: ``processing``, ``overdue``, ``paused_in_time``,
``paused_after_due``, ``resolved_on_time``, ``resolved_late``, ``refused``, ``returned``,
``two_supplements``, ``withdrawn``, ``imported``, ``online``; combine them
(``DossierFactory(online=True, resolved_late=True)``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import factory
from django.utils import timezone

from tests.factories.accounts import UserFactory
from tests.factories.procedures import ProcedureFactory, form_for
from tests.factories.units import UnitFactory, home_unit
from tinhso.accounts.models import UserKind
from tinhso.core.calendar import cached_work_calendar
from tinhso.procedures import formschema, rules, timelimits
from tinhso.procedures.catalogue import receives
from tinhso.procedures.models import Channel, Dossier, DossierStatus, Procedure
from tinhso.units.models import Level, Unit

IMPORT_SOURCE = "import:dossiers.csv"  # what importing.source_for gives a file dossiers.csv


def receiving_unit(procedure: Procedure) -> Unit:
    """An agency of the home province that receives ``procedure``'s dossiers (the catalogue's
    rule): the first such unit already there, else a new department or commune."""
    home = home_unit()
    level = Level.COMMUNE if procedure.level == "commune" else Level.DEPARTMENT
    candidates = Unit.objects.filter(path__startswith=home.path, level=level).order_by("path")
    if procedure.receiving_unit_code:
        candidates = candidates.filter(code=procedure.receiving_unit_code)
    for unit in candidates:
        if receives(procedure, unit):
            return unit
    extra = {"code": procedure.receiving_unit_code} if procedure.receiving_unit_code else {}
    return UnitFactory(parent=home, level=level, **extra)


def _now() -> datetime:
    return timezone.localtime(timezone.now())


def _due(o: Any) -> datetime:
    return timelimits.due_at(o.procedure.time_rule, o.received_at,
                             cached_work_calendar(o.received_at.year))


def _remaining(o: Any) -> int:
    """The working time left when the clock stopped (negative: the working time past due)."""
    left = rules.remaining_working_time(cached_work_calendar(o.paused_at.year), o.paused_at,
                                        o.due_at)
    return int(left.total_seconds())


def _on_time(o: Any) -> bool | None:
    if not rules.is_finished(o.status) or o.finished_at is None:
        return None
    return rules.on_time(o.finished_at, o.due_at, o.supplement_count)


def _assigned(o: Any) -> Unit:
    return o.unit


class DossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dossier

    code = factory.Sequence(lambda n: f"TEST-260101-{n:06d}")
    procedure = factory.SubFactory(ProcedureFactory)
    unit = factory.LazyAttribute(lambda o: receiving_unit(o.procedure))
    channel = Channel.IN_PERSON
    status = DossierStatus.RECEIVED
    applicant = None
    applicant_name = "Nguyễn Văn An"
    applicant_phone = "0905123456"
    applicant_email = ""
    form_data = factory.LazyAttribute(
        lambda o: formschema.clean(o.procedure.form_schema, form_for(o.procedure))[0])
    received_at = factory.LazyFunction(lambda: _now() - timedelta(hours=1))
    due_at = factory.LazyAttribute(_due)
    finished_at = None
    returned_at = None
    withdrawn_at = None
    paused_at = None
    remaining_seconds = None
    supplement_count = factory.LazyAttribute(
        lambda o: 1 if o.status == DossierStatus.SUPPLEMENT else 0)
    assigned_unit = None
    on_time = factory.LazyAttribute(_on_time)
    fee_payable = factory.LazyAttribute(lambda o: o.procedure.fee_payable)
    electronic_result = factory.LazyAttribute(lambda o: o.procedure.result_type == "electronic")

    class Params:
        # received thirty days ago: its due time has passed
        long_ago = factory.Trait(received_at=factory.LazyFunction(
            lambda: _now() - timedelta(days=30)))
        processing = factory.Trait(status=DossierStatus.PROCESSING,
                                   assigned_unit=factory.LazyAttribute(_assigned))
        overdue = factory.Trait(processing=True, long_ago=True)
        paused_in_time = factory.Trait(
            status=DossierStatus.SUPPLEMENT, assigned_unit=factory.LazyAttribute(_assigned),
            paused_at=factory.LazyAttribute(lambda o: o.received_at + timedelta(minutes=30)),
            remaining_seconds=factory.LazyAttribute(_remaining))
        paused_after_due = factory.Trait(
            status=DossierStatus.SUPPLEMENT, long_ago=True,
            assigned_unit=factory.LazyAttribute(_assigned),
            paused_at=factory.LazyFunction(lambda: _now() - timedelta(days=1)),
            remaining_seconds=factory.LazyAttribute(_remaining))
        resolved_on_time = factory.Trait(
            status=DossierStatus.APPROVED, long_ago=True,
            assigned_unit=factory.LazyAttribute(_assigned),
            finished_at=factory.LazyAttribute(lambda o: o.received_at + timedelta(hours=1)))
        resolved_late = factory.Trait(
            status=DossierStatus.APPROVED, long_ago=True,
            assigned_unit=factory.LazyAttribute(_assigned),
            finished_at=factory.LazyAttribute(lambda o: o.due_at + timedelta(days=1)))
        refused = factory.Trait(
            resolved_on_time=True, status=DossierStatus.REFUSED,
            refusal_reason="Hồ sơ không đủ điều kiện.")
        returned = factory.Trait(
            resolved_on_time=True, status=DossierStatus.RETURNED,
            returned_at=factory.LazyAttribute(lambda o: o.finished_at + timedelta(hours=1)))
        # asked twice and answered twice (with another trait: that one's status)
        two_supplements = factory.Trait(processing=True, supplement_count=2)
        withdrawn = factory.Trait(
            status=DossierStatus.WITHDRAWN,
            withdrawn_at=factory.LazyAttribute(lambda o: o.received_at + timedelta(minutes=30)))
        # what the CSV import writes: its source, no account, no form, no e-mail
        imported = factory.Trait(source=IMPORT_SOURCE, applicant=None, applicant_email="",
                                 form_data=factory.LazyFunction(dict), electronic_result=False)
        online = factory.Trait(
            channel=Channel.ONLINE, digitised=True, applicant_email="an@example.vn",
            applicant=factory.SubFactory(UserFactory, kind=UserKind.CITIZEN, unit=None))
