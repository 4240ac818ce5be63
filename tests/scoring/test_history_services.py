"""Published results of 2020-2024 from one file of many result sets (`tinhso scoring
import-results` with year and framework columns)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.helpers import run_command
from tinhso.accounts.permissions import SYSTEM
from tinhso.audit.models import AuditEvent
from tinhso.core.imports import ImportRejected
from tinhso.scoring.history_services import results_history_import
from tinhso.scoring.models import PublishedResult

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "src/tinhso/scoring/data/dti_results_2020_2024.csv"
HEADER = "year,framework,field_size,province_code,published_name,rank,score,source\n"


def _import(text: str) -> None:
    results_history_import(actor=SYSTEM, name="t.csv", content=(HEADER + text).encode())


def test_the_results_of_2020_to_2024_load_with_their_fields(reference_units):
    out = run_command("scoring", "import-results", str(DATA))
    assert "48 results in 5 result sets" in out
    assert "dti-province-405 2024, field of 34: 13 results" in out
    assert "dti-province-405 2024, field of 63: 8 results" in out
    assert "row 38: Khánh Hòa: no rank (NOT FOUND); not loaded" in out  # 2023
    kh = PublishedResult.objects.get(framework="dti-province-405", year=2024, unit__code="56")
    assert (kh.rank, kh.field_size, kh.total) == (16, 34, Decimal("0.7071"))
    kh21 = PublishedResult.objects.get(year=2021, unit__code="56")
    assert (kh21.rank, kh21.rank_basis, kh21.total) == (30, "derived", None)  # not zero
    cao_bang = PublishedResult.objects.get(year=2024, field_size=34, unit__code="04")
    assert (cao_bang.rank, cao_bang.rank_to) == (32, 34)
    assert cao_bang.total is None and "range only" in cao_bang.total_note
    hanoi = PublishedResult.objects.filter(year=2024, unit__code="01")
    assert sorted((r.field_size, r.rank, r.rank_basis) for r in hanoi) == [
        (34, 1, "published"), (63, 4, "inferred")]
    assert not PublishedResult.objects.filter(year__in=[2020, 2023], unit__code="56").exists()
    # Importing again changes nothing.
    run_command("scoring", "import-results", str(DATA))
    assert PublishedResult.objects.count() == 48
    assert AuditEvent.objects.filter(action="results.imported").count() == 2


@pytest.mark.parametrize(("row", "column", "says"), [
    # a province after the merger, in a year of 63
    ("2021,dti-province-922,63,56,Khánh Hòa (sau sáp nhập với Ninh Thuận),30,,x",
     "published_name", "the provinces before it"),
    # a province merged away on 1 July 2025, in the ranking of 34
    ("2024,dti-province-405,34,58,Ninh Thuận,20,,x", "province_code",
     "was not one of the 34 provinces ranked for 2024"),
    # no field of 34 before the merger's results
    ("2021,dti-province-922,34,56,Khánh Hòa,30,,x", "field_size",
     "34 is not the number of provinces of 2021"),
    ("2024,dti-province-999,34,56,Khánh Hòa,16,,x", "framework", "dti-province-999"),
    ("2024,dti-province-405,34,56,Khánh Hòa,57,,x", "rank", "outside the field of 34"),
    ("2024,dti-province-405,34,56,Đà Nẵng,16,,x", "published_name", "does not name"),
    ("2024,dti-province-405,34,56,Khánh Hòa,16,0.7O71,x", "score", "not a number"),
])
def test_a_bad_row_is_named_and_nothing_is_written(reference_units, row, column, says):
    good = "2024,dti-province-405,34,01,Hà Nội,1,0.8241,dantri\n"
    with pytest.raises(ImportRejected) as caught:
        _import(good + row + "\n")
    error = caught.value.errors[0]
    assert (error.row, error.column) == (3, column) and says in error.message
    assert not PublishedResult.objects.exists()


def test_the_command_says_which_row_and_writes_nothing(reference_units, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "2021,dti-province-922,63,56,Khánh Hòa (sau sáp nhập),30,,x\n",
                   encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("scoring", "import-results", str(bad))
    assert not PublishedResult.objects.exists()
    plain = tmp_path / "plain.csv"
    plain.write_text("rank,province_code\n1,56\n", encoding="utf-8")
    with pytest.raises(CommandError, match="give --framework and --year"):
        call_command("scoring", "import-results", str(plain))
