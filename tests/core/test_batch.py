"""Writes gathered during an action and sent together (``core.batch``): rows that point at each
other get their keys, statements give their rows to who asked, one round trip on PostgreSQL,
nothing written when the action fails, and outside a batch (or for a model whose saves do more
than insert) everything is written at once, as before."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.factories import DossierFactory, UnitFactory
from tinhso.audit.models import AuditEvent
from tinhso.core import batch
from tinhso.portalsync.models import EventSync
from tinhso.procedures.models import DossierEvent
from tinhso.units.models import Unit

pytestmark = pytest.mark.django_db

AT = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


def event_and_update(dossier) -> tuple[DossierEvent, EventSync]:
    event = DossierEvent(dossier=dossier, at=AT, action="receive", status="received")
    update = EventSync(event=event, dossier_id=dossier.pk, unit_id=dossier.unit_id, year=2026,
                       happened_at=AT, payload={"dossier": dossier.code})
    return event, update


def test_rows_pointing_at_each_other_are_written_in_one_round_trip():
    dossier = DossierFactory()
    event, update = event_and_update(dossier)
    audit = AuditEvent(actor_repr="system", action="dossier.received", object_id="1")
    answers: list[list[dict]] = []
    with CaptureQueriesContext(connection) as captured, batch.gathered():
        for row in (event, update, audit):
            batch.save_new(row)
        batch.run("UPDATE procedures_dossier SET applicant_name = %s WHERE id = %s "
                  "RETURNING id, applicant_name", ["Trần Thị Bình", dossier.pk],
                  then=answers.append)
        assert event.pk is None and not captured.captured_queries  # nothing sent yet
    if connection.vendor == "postgresql":
        assert len(captured.captured_queries) == 1
    assert event.pk and update.pk and audit.pk
    assert EventSync.objects.get(pk=update.pk).event_id == event.pk == update.event_id
    assert DossierEvent.objects.get(pk=event.pk).dossier_id == dossier.pk
    assert answers == [[{"id": dossier.pk, "applicant_name": "Trần Thị Bình"}]]
    dossier.refresh_from_db()
    assert dossier.applicant_name == "Trần Thị Bình"


def test_nothing_is_written_when_the_action_fails():
    dossier = DossierFactory()
    with pytest.raises(RuntimeError), transaction.atomic(), batch.gathered():
        for row in event_and_update(dossier):
            batch.save_new(row)
        raise RuntimeError("the action fails")
    assert not DossierEvent.objects.exists() and not EventSync.objects.exists()
    assert batch.current() is None


def test_outside_a_batch_and_for_models_that_save_more_it_writes_at_once():
    dossier = DossierFactory()
    event, update = event_and_update(dossier)
    batch.save_new(event)
    assert event.pk is not None  # no batch: written at once
    answers: list[list[dict]] = []
    batch.run("UPDATE procedures_dossier SET applicant_name = %s WHERE id = %s RETURNING id",
              ["Lê Văn Cường", dossier.pk], then=answers.append)
    assert answers == [[{"id": dossier.pk}]]
    parent = Unit.objects.get(pk=dossier.unit_id)
    with batch.gathered() as outer:
        unit = UnitFactory.build(code="99999", name="Xã thử", parent=parent)
        batch.save_new(unit)  # Unit's saves are listened to (the lookups' cache): at once
        assert unit.pk is not None and not outer.rows
        with batch.gathered() as inner:  # inside another batch: the outer one gathers
            assert inner is outer
            batch.save_new(update)
        assert update.pk is None and outer.rows == [update]
    assert update.pk is not None


def test_a_row_naming_an_unsaved_row_outside_the_batch_is_refused():
    dossier = DossierFactory()
    _event, update = event_and_update(dossier)
    with pytest.raises(ValueError, match="neither saved nor gathered"), transaction.atomic(), \
            batch.gathered():
        batch.save_new(update)
    assert not EventSync.objects.exists()


def test_what_an_answer_writes_is_written_not_lost():
    dossier = DossierFactory()
    event, _update = event_and_update(dossier)

    def then(rows: list[dict]) -> None:
        batch.save_new(event)  # the batch is being sent: written at once

    with batch.gathered():
        batch.run("UPDATE procedures_dossier SET applicant_name = %s WHERE id = %s "
                  "RETURNING id", ["Phạm Thị Dung", dossier.pk], then=then)
    assert event.pk is not None and DossierEvent.objects.filter(pk=event.pk).exists()


def test_a_rows_insert_is_written_as_djangos_compiler_writes_it(monkeypatch):
    """The batch writes an INSERT without building a query (``_written``); it must say what
    Django's compiler says for the same row: the columns, the values as the fields prepare
    them (a JSON payload, an aware time, a key given by an earlier row of the batch, a code
    written in SQL) and what it returns."""
    from django.db.models.expressions import RawSQL
    from django.utils import timezone

    from tinhso.procedures.models import Dossier

    monkeypatch.setattr(timezone, "now", lambda: AT)  # the audit's time, added at the insert
    dossier = DossierFactory()
    event, update = event_and_update(dossier)
    reference = RawSQL("(SELECT id FROM tinhso_w0)", [])
    update.__dict__["event_id"] = reference  # as the batch names an earlier row's key
    audit = AuditEvent(actor_repr="system", action="dossier.received", object_id="1",
                       details={"trạng thái": ["mới", "đã nhận"]})
    new = Dossier.objects.get(pk=dossier.pk)
    new.pk, new.code = None, RawSQL("(SELECT %s || 1)", ["KH-261202-"])
    for obj, returning in ((event, ()), (update, ()), (audit, ()), (new, ("code",))):
        shape = batch._shape(type(obj), obj.pk is not None, returning, connection)
        assert shape is not None
        sql, params = batch._written(obj, shape, connection, returning)
        django_sql, django_params = batch._compiled(obj, connection, returning)
        # (a JSON value is wrapped in an adapter that compares by identity: compare its repr)
        assert (sql, list(map(repr, params))) == (django_sql, list(map(repr, django_params)))
    assert "(SELECT id FROM tinhso_w0)" in batch._written(
        update, batch._shape(EventSync, False, (), connection), connection, ())[0]
