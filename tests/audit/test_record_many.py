from __future__ import annotations

import pytest

from tests.factories import UnitFactory
from tinhso.audit.models import AuditEvent
from tinhso.audit.services import AuditRecord, audit_record, audit_record_many
from tinhso.units import audit_events as unit_events

pytestmark = pytest.mark.django_db


def test_many_events_in_one_insert_with_audit_records_fields(django_assert_num_queries):
    unit = UnitFactory(code="56")
    records = [
        AuditRecord(actor=None, action=unit_events.UNIT_UPDATED, object_type="units.unit",
                    object_id=str(unit.pk), object_repr="x" * 300, unit=unit,
                    details={"row": 1}),
        AuditRecord(actor=None, action=unit_events.UNIT_UPDATED, obj=unit,
                    actor_label="visitor"),
    ]
    with django_assert_num_queries(1):
        audit_record_many(records)
    first, second = AuditEvent.objects.order_by("id")
    assert (first.actor, first.actor_repr, first.object_type, first.object_id) == (
        None, "system", "units.unit", str(unit.pk))
    assert len(first.object_repr) == 250 and first.unit == unit
    assert first.details == {"row": 1} and first.created_at is not None
    one = audit_record(actor=None, action=unit_events.UNIT_UPDATED, obj=unit,
                       actor_label="visitor")
    assert (second.actor_repr, second.object_type, second.object_id, second.object_repr,
            second.details) == (one.actor_repr, one.object_type, one.object_id,
                                one.object_repr, one.details)


def test_one_unregistered_action_refuses_them_all():
    with pytest.raises(ValueError, match="unregistered"):
        audit_record_many([AuditRecord(actor=None, action=unit_events.UNIT_UPDATED),
                           AuditRecord(actor=None, action="made.up")])
    assert not AuditEvent.objects.exists()
    assert audit_record_many([]) == []
