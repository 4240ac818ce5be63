"""Dossier codes under concurrent submissions: unique, and no gaps in what was acknowledged."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import connection, connections

from tests.factories import DossierFactory, documents_for, form_for
from tests.procedures.conftest import TUESDAY_9AM
from tinhso.procedures.codes import format_code, insert_numbered
from tinhso.procedures.models import Dossier, DossierSequence
from tinhso.procedures.services import Applicant, dossier_submit, submission

THREADS, EACH = 16, 6


def test_codes_format():
    assert format_code("000.701.18.H32", date(2026, 3, 31), 7) == "000.701.18.H32-260331-0007"
    assert format_code("22366", date(2026, 3, 31), 12345) == "22366-260331-12345"


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_get_unique_codes_without_gaps(catalogue, applicant_user,
                                                            reference_units, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises writers)")
    store = submission.store_file

    def failing_store(dossier, *args, **kwargs):
        # A failure after the number was taken: the whole submission, number included,
        # rolls back.
        if dossier.applicant_name.endswith("-boom"):
            raise RuntimeError("disk full")
        return store(dossier, *args, **kwargs)

    monkeypatch.setattr(submission, "store_file", failing_store)
    procedure = catalogue["Đăng ký khai sinh"]
    unit = reference_units["22366"]

    def worker(n: int) -> list[str]:
        try:
            got = []
            for i in range(EACH):
                form = form_for(procedure)
                name = f"Người nộp {n}-{i}"
                if (n + i) % 5 == 0:  # some submissions fail validation
                    form["birth_date"] = "not a date"
                elif (n + i) % 7 == 0:  # some fail after their number was taken
                    name += "-boom"
                try:
                    got.append(dossier_submit(
                        account=applicant_user, procedure=procedure, unit=unit,
                        applicant=Applicant(name, "0905123456"),
                        form_data=form, files=documents_for(procedure), now=TUESDAY_9AM).code)
                except Exception as exc:
                    got.append(f"refused: {type(exc).__name__}")
            return got
        finally:
            connections.close_all()

    with ThreadPoolExecutor(THREADS) as pool:
        results = [code for batch in pool.map(worker, range(THREADS)) for code in batch]
    acknowledged = [r for r in results if not r.startswith("refused")]
    refused = [r for r in results if r.startswith("refused")]
    assert set(refused) == {"refused: ValidationError", "refused: RuntimeError"}
    assert len(acknowledged) == len(set(acknowledged)) == Dossier.objects.count()
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in acknowledged)
    assert numbers == list(range(1, len(acknowledged) + 1))  # no duplicates, no gaps


@pytest.mark.django_db
@pytest.mark.parametrize("last", [0, 8, 9998, 9999, 123456])
def test_the_code_written_with_the_dossier_is_format_codes(last):
    """On PostgreSQL ``insert_numbered`` writes the code in SQL with the dossier; it must be
    the code ``format_code`` gives, below four digits, at four and beyond (SQLite numbers
    in Python)."""
    day = date(2026, 3, 31)
    DossierSequence.objects.create(agency_code="22366", day=day, last=last)
    earlier = DossierFactory()
    dossier = DossierFactory.build(procedure=earlier.procedure, unit=earlier.unit, code="")
    insert_numbered(dossier, "22366", day)
    assert dossier.pk is not None and dossier.code == format_code("22366", day, last + 1)
    assert Dossier.objects.get(pk=dossier.pk).code == dossier.code
