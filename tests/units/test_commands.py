from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError

from tests.helpers import run_command as run

pytestmark = pytest.mark.django_db


def test_units_load_then_list_provinces_by_date(db):
    assert "created" in run("units", "load")
    assert "0 created, 0 updated" in run("units", "load")
    rows = list(csv.DictReader(io.StringIO(run("units", "list", "--level", "province",
                                               "--on", "2022-01-01"))))
    assert len(rows) == 63
    assert {r["code"]: r["successor"] for r in rows}["58"] == "56"
    rows = list(csv.DictReader(io.StringIO(run("units", "list", "--level", "province",
                                               "--on", "01/01/2026"))))
    assert len(rows) == 34


def test_units_list_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="2026-13-01"):
        run("units", "list", "--on", "2026-13-01")
