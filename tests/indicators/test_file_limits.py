"""Hostile files on the round's upload page and `tinhso indicators import`: a workbook of
200,000 rows in 1 MB, a gigabyte of spaces in 1 MB, a file wrong on every row, a slow read.
Each is refused quickly, with a clear message, a bounded list of problems, and nothing saved."""

from __future__ import annotations

import io
import time
import tracemalloc
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.core.bombs import spaces, table
from tinhso.audit.models import AuditEvent
from tinhso.indicators import audit_events
from tinhso.indicators.models import CollectionRound, Indicator, IndicatorValue

pytestmark = pytest.mark.django_db
HEADER = ["indicator", "unit", "period", "value"]


@pytest.fixture(scope="module")
def tall() -> bytes:
    """200,000 rows of a valid-looking template in about 1.5 MB."""
    return table(HEADER, (["skills", "56.STC", "2026", n] for n in range(200_000)))


@pytest.fixture
def collection(reference_units: Any) -> CollectionRound:
    indicator = Indicator.objects.create(code="skills", name="Kỹ năng số", measure="count")
    collection = CollectionRound.objects.create(title="R", period="2026", deadline="2026-12-31",
                                                owner_unit=reference_units["56"])
    collection.indicators.set([indicator])
    collection.units.set([reference_units["56.STC"]])
    return collection


def _post(client: Any, collection: CollectionRound, name: str, content: bytes) -> Any:
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(f"/indicators/rounds/{collection.pk}/upload/",
                       {"file": upload, "submit": "on"}, HTTP_ACCEPT_LANGUAGE="en")


def _nothing_saved() -> None:
    assert not IndicatorValue.objects.exists()
    assert not AuditEvent.objects.filter(action=audit_events.VALUES_IMPORTED).exists()


@pytest.fixture
def reporter(client: Any, people: dict[str, Any], settings: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(people["reporter"])
    return people["reporter"]


def test_a_200000_row_workbook_is_refused_by_the_page_before_a_row_is_read(
        client, reporter, collection, tall):
    assert len(tall) < 2 * 1024 * 1024
    assert client.get(f"/indicators/rounds/{collection.pk}/upload/").status_code == 200
    started = time.perf_counter()
    response = _post(client, collection, "tall.xlsx", tall)
    elapsed = time.perf_counter() - started
    assert response.status_code == 400
    assert [e.message for e in response.context["errors"]] == [
        "xl/worksheets/sheet1.xml holds more than 100000 rows: split the file"]
    assert 'data-testid="upload-errors"' in response.content.decode()
    assert elapsed < 5  # about 0.3 s; reading the rows took 30 s and killed the worker
    _nothing_saved()


def test_a_gigabyte_of_spaces_is_refused_by_the_page_in_bounded_memory(
        client, reporter, collection):
    bomb = spaces(1024)
    assert len(bomb) < 1.5 * 1024 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    try:
        response = _post(client, collection, "spaces.xlsx", bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 400
    assert "unpacks to 1024 MB, more than 50 MB" in response.context["errors"][0].message
    assert time.perf_counter() - started < 5
    assert peak < 100 * 1024 * 1024  # the worker reached 1.8 GB
    _nothing_saved()


def test_a_file_wrong_on_every_row_lists_the_first_fifty_problems(
        client, reporter, collection):
    bad = "indicator,unit,period,value\n" + "".join(
        f"skills,56.STC,2026,-{n}\n" for n in range(1, 5001))
    response = _post(client, collection, "bad.csv", bad.encode())
    assert response.status_code == 400
    errors = response.context["errors"]
    assert len(errors) == 50 and errors[0].row == 2 and errors[-1].row == 51
    page = response.content.decode()
    assert 'data-testid="upload-stopped"' in page and "stopped after 50 problems" in page
    _nothing_saved()


def test_the_page_reads_a_file_within_the_upload_time_budget(
        client, reporter, collection, settings):
    settings.TINHSO_UPLOAD_SECONDS = 0  # below the worker's timeout; here, nothing at all
    good = b"indicator,unit,period,value\nskills,56.STC,2026,3\n"
    response = _post(client, collection, "good.csv", good)
    assert response.status_code == 400
    assert "reading the file took more than 0 seconds" in response.context["errors"][0].message
    _nothing_saved()
    settings.TINHSO_UPLOAD_SECONDS = 20
    assert _post(client, collection, "good.csv", good).status_code == 302
    assert IndicatorValue.objects.get().value == 3


def test_the_command_refuses_a_200000_row_workbook_at_once(reference_units, tmp_path, tall,
                                                           capsys):
    Indicator.objects.create(code="skills", name="Kỹ năng số", measure="count")
    source = tmp_path / "tall.xlsx"
    source.write_bytes(tall)
    started = time.perf_counter()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("indicators", "import", str(source))
    assert time.perf_counter() - started < 5
    assert capsys.readouterr().err.splitlines() == [
        "tall.xlsx: row 0, file: xl/worksheets/sheet1.xml holds more than 100000 rows: "
        "split the file"]
    _nothing_saved()


def test_the_command_prints_a_bounded_list_of_problems(reference_units, tmp_path, capsys):
    Indicator.objects.create(code="skills", name="Kỹ năng số", measure="count")
    source = tmp_path / "bad.csv"
    source.write_text("indicator,unit,period,value\n" + "".join(
        f"skills,56.STC,2026,-{n}\n" for n in range(1, 20_001)), encoding="utf-8")
    with pytest.raises(CommandError, match=r"50\+ problem"):
        call_command("indicators", "import", str(source))
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 51
    assert lines[0].startswith("bad.csv: row 2, Value: ")
    assert lines[-1] == "bad.csv: … and more; stopped after 50 errors"
    _nothing_saved()


def test_the_command_refuses_a_file_over_the_size_cap_without_reading_it(
        reference_units, tmp_path):
    source = tmp_path / "huge.csv"
    with source.open("wb") as out:
        out.truncate(30 * 1024 * 1024)  # 30 MB on paper, nothing on disk
    tracemalloc.start()
    try:
        with pytest.raises(CommandError, match="larger than 20 MB"):
            call_command("indicators", "import", str(source))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024
    _nothing_saved()
