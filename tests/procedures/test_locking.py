"""An action on a dossier locks the dossier's row, not its agency's nor its procedure's: the
load test found officers' actions and citizens' submissions at the same commune deadlocking
(the action held the commune's row FOR UPDATE through the join; the submission's foreign-key
check at commit asked for a key-share lock on the same row)."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection, transaction

from tests.factories.dossiers import DossierFactory
from tinhso.procedures.services.base import lock


def _other_connection() -> psycopg.Connection:
    s = connection.settings_dict
    return psycopg.connect(dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"] or None,
                           host=s["HOST"] or None, port=s["PORT"] or None, autocommit=True)


@pytest.mark.django_db(transaction=True)
def test_locking_a_dossier_leaves_its_agency_and_procedure_free():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (SQLite locks the whole database)")
    dossier = DossierFactory()
    other = _other_connection()
    try:
        with transaction.atomic():
            locked = lock(dossier)
            assert locked.unit_id == dossier.unit_id
            with other.cursor() as cursor:
                cursor.execute("SET lock_timeout = '2s'")
                # what a submission's foreign-key check at its commit asks for
                cursor.execute("SELECT 1 FROM units_unit WHERE id = %s FOR KEY SHARE",
                               [dossier.unit_id])
                cursor.execute("SELECT 1 FROM procedures_procedure WHERE id = %s FOR KEY SHARE",
                               [dossier.procedure_id])
                # and the dossier itself stays locked
                with pytest.raises(psycopg.errors.LockNotAvailable):
                    cursor.execute("SELECT 1 FROM procedures_dossier WHERE id = %s "
                                   "FOR UPDATE NOWAIT", [dossier.pk])
    finally:
        other.close()
