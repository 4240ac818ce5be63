"""The procedure and dossier factories build valid rows: each trait gives a dossier that passes
the model's validation and keeps its invariants and the time rules."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from tests.factories import DossierFactory, ProcedureFactory
from tinhso.accounts.models import UserKind
from tinhso.procedures import rules
from tinhso.procedures.catalogue import receives
from tinhso.procedures.formschema import check_schema
from tinhso.procedures.models import Channel, Dossier, DossierStatus, OnlineLevel
from tinhso.procedures.timelimits import parse_time_limit
from tinhso.units.models import Unit

pytestmark = pytest.mark.django_db

TRAITS = ["processing", "overdue", "paused_in_time", "paused_after_due", "resolved_on_time",
          "resolved_late", "refused", "returned", "two_supplements", "withdrawn", "imported",
          "online"]


def assert_consistent(dossier: Dossier, now: datetime) -> None:
    """What every dossier keeps, however it was made."""
    dossier.full_clean()
    assert f"/{settings.TINHSO_HOME_UNIT}/" in dossier.unit.path
    assert receives(dossier.procedure, dossier.unit)
    assert dossier.received_at <= now and dossier.received_at < dossier.due_at
    finished = rules.is_finished(dossier.status)
    assert (dossier.finished_at is not None) is finished
    assert (dossier.on_time is not None) is finished
    if finished:
        assert dossier.received_at <= dossier.finished_at <= now
        assert dossier.on_time is rules.on_time(dossier.finished_at, dossier.due_at,
                                                dossier.supplement_count)
    waiting = dossier.status == DossierStatus.SUPPLEMENT
    assert (dossier.paused_at is not None) is waiting
    assert (dossier.remaining_seconds is not None) is waiting
    if waiting:
        assert dossier.supplement_count >= 1
        assert dossier.received_at <= dossier.paused_at <= now
    assert (dossier.withdrawn_at is not None) is (dossier.status == DossierStatus.WITHDRAWN)
    assert (dossier.returned_at is not None) is (dossier.status == DossierStatus.RETURNED)


@pytest.mark.parametrize("trait", [None, *TRAITS])
def test_each_trait_builds_a_consistent_dossier(trait: str | None) -> None:
    dossier = DossierFactory(**({trait: True} if trait else {}))
    dossier.refresh_from_db()
    assert_consistent(dossier, timezone.now())


def test_a_plain_dossier_was_just_received_and_is_due_by_its_rule() -> None:
    dossier = DossierFactory()
    assert dossier.status == DossierStatus.RECEIVED
    assert dossier.procedure.time_rule == {"type": "working_days", "days": 3}
    assert dossier.channel == Channel.IN_PERSON and dossier.applicant is None
    assert set(dossier.form_data) == {"full_name", "birth_date", "sex"}
    assert not rules.is_overdue(dossier, timezone.now())
    assert dossier.source == "tinhso"


def test_processing_is_assigned_and_not_overdue() -> None:
    dossier = DossierFactory(processing=True)
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.assigned_unit == dossier.unit
    assert not rules.is_overdue(dossier, timezone.now())


def test_overdue_is_processing_past_its_due_time() -> None:
    now = timezone.now()
    dossier = DossierFactory(overdue=True)
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.due_at < now
    assert rules.is_overdue(dossier, now)
    assert rules.lateness(dossier, dossier.on_time, now) == "overdue"


def test_paused_in_time_keeps_working_time_and_is_not_overdue() -> None:
    dossier = DossierFactory(paused_in_time=True)
    assert dossier.status == DossierStatus.SUPPLEMENT
    assert dossier.supplement_count == 1
    assert dossier.remaining_seconds > 0
    assert rules.clock_stopped(dossier)
    # the clock stopped: even long after the due time it is not overdue
    assert not rules.is_overdue(dossier, dossier.due_at + timedelta(days=30))


def test_paused_after_due_is_overdue_and_late_at_the_period_end() -> None:
    now = timezone.now()
    dossier = DossierFactory(paused_after_due=True)
    assert dossier.status == DossierStatus.SUPPLEMENT
    assert dossier.paused_at > dossier.due_at
    assert dossier.remaining_seconds < 0
    assert rules.is_overdue(dossier, now)
    assert rules.late_at_period_end(dossier, now)


def test_resolved_on_time_and_late() -> None:
    on_time = DossierFactory(resolved_on_time=True)
    assert on_time.status == DossierStatus.APPROVED
    assert on_time.finished_at <= on_time.due_at and on_time.on_time is True
    late = DossierFactory(resolved_late=True)
    assert late.status == DossierStatus.APPROVED
    assert late.finished_at > late.due_at and late.on_time is False
    assert rules.lateness(late, late.on_time, timezone.now()) == "late"


def test_two_supplements_make_a_dossier_resolved_in_time_late() -> None:
    open_one = DossierFactory(two_supplements=True)
    assert open_one.status == DossierStatus.PROCESSING and open_one.supplement_count == 2
    assert rules.late_at_period_end(open_one, timezone.now())
    resolved = DossierFactory(two_supplements=True, resolved_on_time=True)
    assert resolved.finished_at <= resolved.due_at
    assert resolved.supplement_count == 2 and resolved.on_time is False
    waiting = DossierFactory(two_supplements=True, paused_in_time=True)
    assert waiting.status == DossierStatus.SUPPLEMENT and waiting.supplement_count == 2


def test_refused_returned_and_withdrawn() -> None:
    refused = DossierFactory(refused=True)
    assert refused.status == DossierStatus.REFUSED and refused.refusal_reason
    returned = DossierFactory(returned=True)
    assert returned.status == DossierStatus.RETURNED
    assert returned.returned_at > returned.finished_at
    withdrawn = DossierFactory(withdrawn=True)
    assert withdrawn.status == DossierStatus.WITHDRAWN
    assert withdrawn.finished_at is None and withdrawn.on_time is None
    assert not rules.is_open(withdrawn.status)


def test_imported_is_what_the_import_writes() -> None:
    dossier = DossierFactory(imported=True, resolved_late=True)
    assert dossier.source.startswith("import:")
    assert dossier.applicant is None and dossier.applicant_email == ""
    assert dossier.form_data == {}
    assert dossier.on_time is False


def test_online_has_a_citizen_account() -> None:
    dossier = DossierFactory(online=True)
    assert dossier.channel == Channel.ONLINE and dossier.digitised
    assert dossier.applicant.kind == UserKind.CITIZEN
    assert dossier.applicant_email


def test_codes_are_unique() -> None:
    codes = {DossierFactory().code for _ in range(3)}
    assert len(codes) == 3
    assert all(code.startswith("TEST-260101-") for code in codes)


@pytest.mark.parametrize("trait", [None, "online", "offline", "with_fee", "commune"])
def test_each_procedure_trait_is_valid(trait: str | None) -> None:
    procedure = ProcedureFactory(**({trait: True} if trait else {}))
    procedure.full_clean()
    check_schema(procedure.form_schema)
    assert parse_time_limit(procedure.time_limit) == procedure.time_rule
    assert all(d["code"] and d["name"] for d in procedure.required_documents)
    expected: dict[str | None, dict[str, Any]] = {
        "online": {"online_level": OnlineLevel.FULL},
        "offline": {"online_level": OnlineLevel.NONE},
        "with_fee": {"fee_payable": True},
        "commune": {"level": "commune"},
    }
    for name, value in expected.get(trait, {"level": "province"}).items():
        assert getattr(procedure, name) == value


def test_a_dossier_goes_to_an_agency_that_receives_its_procedure() -> None:
    provincial = DossierFactory()
    assert provincial.unit.level == "department"
    commune = DossierFactory(procedure=ProcedureFactory(commune=True))
    assert commune.unit.level == "commune"
    assert commune.unit.parent == provincial.unit.parent  # both inside the home province
    assert DossierFactory().unit == provincial.unit  # reused, not one unit per dossier


def test_with_the_reference_units_a_dossier_goes_to_a_real_agency(
        reference_units: dict[str, Unit]) -> None:
    named = DossierFactory(procedure=ProcedureFactory(receiving_unit_code="56.STP"))
    assert named.unit == reference_units["56.STP"]
    commune = DossierFactory(procedure=ProcedureFactory(commune=True))
    assert commune.unit.pk == Unit.objects.get(code=commune.unit.code).pk
    assert commune.unit.code in reference_units
    assert receives(commune.procedure, commune.unit)
