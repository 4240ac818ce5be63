"""Two callbacks for one payment at the same moment (the gateway retries while the first is
still being recorded) record one payment: the transaction's row is locked, and the second
finds it paid. PostgreSQL only: SQLite locks the whole database."""

from __future__ import annotations

import threading
import time
from typing import Any

import psycopg
import pytest
from django.db import connection, connections

from tests.payments.conftest import RESIDENCE, signed
from tinhso.payments import services
from tinhso.procedures import aggregate
from tinhso.procedures.models import DossierEvent, DossierStat


def _other_connection() -> psycopg.Connection:
    s = connection.settings_dict
    return psycopg.connect(dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"] or None,
                           host=s["HOST"] or None, port=s["PORT"] or None, autocommit=True)


@pytest.mark.django_db(transaction=True)
def test_two_callbacks_at_once_record_one_payment(submit: Any, applicant_user: Any,
                                                  media_in_tmp: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (SQLite locks the whole database)")
    payment = services.payment_start(account=applicant_user, dossier=submit(RESIDENCE),
                                     site="https://tinhso.example")
    body, signature = signed({"reference": payment.reference, "amount": payment.amount,
                              "state": "paid", "gateway_reference": "GW-1", "paid_at": None})
    results: list[services.CallbackResult] = []
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            results.append(services.receive_callback(body=body, signature=signature))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    # Hold the transaction's row so that both callbacks are inside, waiting, at once.
    holder = _other_connection()
    try:
        with holder.transaction():
            holder.execute("SELECT 1 FROM payments_payment WHERE id = %s FOR UPDATE",
                           [payment.pk])
            threads = [threading.Thread(target=deliver) for _ in range(2)]
            for thread in threads:
                thread.start()
            time.sleep(0.5)
            assert not results  # both wait for the row
        for thread in threads:
            thread.join(timeout=30)
    finally:
        holder.close()

    assert not errors, errors
    assert sorted(r.reason for r in results) == ["already recorded", "recorded"]
    payment.refresh_from_db()
    assert payment.state == "paid" and payment.dossier.paid_online
    assert DossierEvent.objects.filter(action="pay_online").count() == 1
    assert aggregate.totals(DossierStat.objects.all())["paid_online"] == 1
