"""A submission through the API is cheap: at most five round trips to PostgreSQL (the
transaction's BEGIN and COMMIT; the counter and the dossier in one statement; the files, event,
portal update, audit record, statistics delta, publication mark and notification in one more),
once the process knows the token, the procedure, its version and the agency. Nothing it used to
write is missing, and the statistics still equal a rebuild."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.procedures.test_dossier_api import MARITAL, bearer, body, post
from tinhso.audit.models import AuditEvent
from tinhso.portalsync.models import EventSync
from tinhso.procedures import aggregate
from tinhso.procedures.models import Dossier, DossierStat, Notification, PendingPublication

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages", "media_in_tmp")]

ROUND_TRIPS = 5


def stats() -> Counter[tuple]:
    return Counter({(s.unit_id, s.procedure_id, s.month, s.channel): s.received
                    for s in DossierStat.objects.all()})


def test_a_submission_takes_at_most_five_round_trips_and_writes_everything(
        client, catalogue, applicant_user):
    token = bearer(applicant_user)
    for _warm in range(2):  # the process now knows the token (its use noted), the procedure...
        first = post(client, "/api/v1/dossiers/", body(catalogue[MARITAL]), token)
        assert first.status_code == 201, first.json()
    with CaptureQueriesContext(connection) as captured:
        got = post(client, "/api/v1/dossiers/", body(catalogue[MARITAL]), token)
    assert got.status_code == 201, got.json()
    statements = [q["sql"][:100] for q in captured.captured_queries]
    if connection.vendor == "postgresql":
        assert len(statements) <= ROUND_TRIPS, "\n".join(statements)
        # the transaction (a savepoint inside the test's), the number with the dossier, the rest
        assert [s.split()[0] for s in statements] == ["SAVEPOINT", "WITH", "WITH", "RELEASE"]
    code = got.json()["code"]
    dossier = Dossier.objects.get(code=code)
    assert code.endswith("-0003") and dossier.files.count() == 1
    event = dossier.events.get()
    assert EventSync.objects.get(event=event).dossier_id == dossier.pk
    audited = AuditEvent.objects.filter(action="dossier.submitted", object_id=str(dossier.pk))
    assert audited.count() == 1
    assert Notification.objects.get(dossier=dossier).subject == f"Dossier {code} received"
    assert PendingPublication.objects.filter(unit_id=dossier.unit_id).exists()
    live = stats()
    aggregate.rebuild()
    assert stats() == live and sum(live.values()) == 3
