"""Register numbers under concurrency: outgoing documents issued in parallel by one issuing body
get distinct numbers from 1 without gaps, arrival numbers likewise, and an issue that fails
after taking its number gives it back (the next document gets it)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections

from tests.factories import incoming_fields, office_world
from tinhso.documents import services
from tinhso.documents.models import Document, RegisterSequence, Status
from tinhso.documents.services import office as office_services

DOCUMENTS, THREADS = 200, 32


def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite takes them one at a time)")


def _drafts(office: Any, count: int, *, to_province: bool = False) -> list[Document]:
    return [services.outgoing_draft(
        actor=office.finance_officer, unit=office.finance, kind="Công văn", notation="STC-VP",
        subject=f"Công văn thử {n}", recipients=[office.province] if to_province else [],
        external=[] if to_province else [("000.00.00.G12", "Bộ Khoa học và Công nghệ")])
        for n in range(count)]


def _in_parallel(work: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    """``work`` over ``items`` in THREADS threads, each on its own database connection;
    a failure is returned as its exception."""
    start = threading.Barrier(THREADS, timeout=30)

    def run(chunk: list[Any]) -> list[Any]:
        try:
            start.wait()  # every thread connected and ready: they all start together
            out = []
            for item in chunk:
                try:
                    out.append(work(item))
                except Exception as exc:  # the test counts the failures
                    out.append(exc)
            return out
        finally:
            connections.close_all()

    chunks = [items[i::THREADS] for i in range(THREADS)]
    with ThreadPoolExecutor(THREADS) as pool:
        return [result for batch in pool.map(run, chunks) for result in batch]


@pytest.mark.django_db(transaction=True)
def test_200_parallel_issues_get_200_distinct_numbers_without_gaps() -> None:
    _postgresql_only()
    office = office_world()
    drafts = _drafts(office, DOCUMENTS, to_province=True)

    def issue(draft: Document) -> int:
        issued = services.outgoing_issue(actor=office.finance_clerk, document=draft,
                                         signer_name="Trần Thị B")
        assert issued.number is not None
        return issued.number

    numbers = _in_parallel(issue, drafts)
    assert sorted(numbers) == list(range(1, DOCUMENTS + 1))
    stored = Document.objects.filter(unit=office.finance, direction="out")
    assert sorted(stored.values_list("number", flat=True)) == list(range(1, DOCUMENTS + 1))
    assert not stored.filter(status=Status.DRAFT).exists()
    # each was delivered to the province, whose arrival numbers are as tight
    arrivals = Document.objects.filter(unit=office.province, direction="in")
    assert sorted(arrivals.values_list("arrival_number", flat=True)) == list(
        range(1, DOCUMENTS + 1))


@pytest.mark.django_db(transaction=True)
def test_parallel_issues_that_fail_after_numbering_leave_no_gap(monkeypatch) -> None:
    _postgresql_only()
    office = office_world()
    drafts = _drafts(office, 60)
    failing = {d.pk for d in drafts[::7]}
    refresh = office_services.refresh_search

    def failing_refresh(document: Document) -> None:  # runs right after the number is taken
        if document.pk in failing:
            raise RuntimeError("disk full")
        refresh(document)

    monkeypatch.setattr(office_services, "refresh_search", failing_refresh)
    results = _in_parallel(lambda draft: services.outgoing_issue(
        actor=office.finance_clerk, document=draft, signer_name="Trần Thị B").number, drafts)
    numbers = [r for r in results if isinstance(r, int)]
    assert sum(isinstance(r, RuntimeError) for r in results) == len(failing)
    assert sorted(numbers) == list(range(1, len(drafts) - len(failing) + 1))
    assert Document.objects.filter(pk__in=failing, status=Status.DRAFT,
                                   number__isnull=True).count() == len(failing)


@pytest.mark.django_db(transaction=True)
def test_parallel_arrivals_get_distinct_arrival_numbers_without_gaps() -> None:
    _postgresql_only()
    office = office_world()

    def register(n: int) -> int:
        document = services.incoming_register(
            actor=office.clerk, unit=office.province,
            **incoming_fields(number=n + 1, notation="CV-BKHCN"))
        assert document.arrival_number is not None
        return document.arrival_number

    arrivals = _in_parallel(register, list(range(DOCUMENTS)))
    assert sorted(arrivals) == list(range(1, DOCUMENTS + 1))
    assert RegisterSequence.objects.get(unit=office.province, direction="in").last == DOCUMENTS


@pytest.mark.django_db
def test_an_issue_that_rolls_back_gives_its_number_to_the_next(monkeypatch) -> None:
    office = office_world()
    first, broken, third = _drafts(office, 3)
    assert services.outgoing_issue(actor=office.finance_clerk, document=first,
                                   signer_name="Trần Thị B").number == 1
    refresh = office_services.refresh_search

    def failing_refresh(document: Document) -> None:
        if document.pk == broken.pk:
            assert document.number == 2  # numbered, then the transaction fails
            raise RuntimeError("disk full")
        refresh(document)

    monkeypatch.setattr(office_services, "refresh_search", failing_refresh)
    with pytest.raises(RuntimeError):
        services.outgoing_issue(actor=office.finance_clerk, document=broken,
                                signer_name="Trần Thị B")
    broken.refresh_from_db()
    assert broken.number is None and broken.status == Status.DRAFT
    assert services.outgoing_issue(actor=office.finance_clerk, document=third,
                                   signer_name="Trần Thị B").code == "02/STC-VP"
