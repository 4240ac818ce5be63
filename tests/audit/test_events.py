from __future__ import annotations

import pytest
from django.utils.translation import gettext_lazy, override

from tinhso.audit.events import event_label, register_event, registered_events
from tinhso.audit.models import AuditEvent
from tinhso.audit.services import audit_record
from tinhso.procedures import audit_events as dossier_events
from tinhso.units import audit_events as unit_events


def test_each_domain_registers_its_events_with_their_labels():
    assert unit_events.UNIT_UPDATED == "unit.updated"
    assert str(unit_events.UNIT_UPDATED.label) == "Unit changed"
    codes = set(registered_events())
    # Every app's audit_events module is imported at start-up (AuditConfig.ready).
    assert {"unit.updated", "user.created", "value.approved", "answer.verified", "calendar.changed",
            "demo.loaded", "dossier.submitted", "task.closed"} <= codes
    assert dossier_events.DOSSIER_SUBMITTED in codes
    with override("en"):
        assert str(event_label("dossier.submitted")) == "Dossier submitted online"
    assert event_label("no.such") == "no.such"


def test_registering_again_needs_the_same_label():
    assert register_event("unit.updated", gettext_lazy("Unit changed")) is unit_events.UNIT_UPDATED
    with pytest.raises(ValueError, match="another label"):
        register_event("unit.updated", gettext_lazy("Something else"))


@pytest.mark.django_db
def test_an_unregistered_action_is_refused():
    with pytest.raises(ValueError, match="unregistered"):
        audit_record(actor=None, action="made.up")
    assert not AuditEvent.objects.exists()
    event = audit_record(actor=None, action=unit_events.UNITS_IMPORTED)
    with override("en"):
        assert str(event.action_label) == "Units imported"
