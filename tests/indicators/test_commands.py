from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from tests.factories import IndicatorFactory
from tests.helpers import run_command
from tinhso.indicators.models import IndicatorValue

pytestmark = pytest.mark.django_db


def test_import_then_export(reference_units, tmp_path, capsys):
    IndicatorFactory(code="e_procurement_rate")
    source = tmp_path / "values.csv"
    source.write_text("indicator,unit,period,value\ne_procurement_rate,56,2020,\"35,8\"\n",
                      encoding="utf-8")
    assert "1 created" in run_command("indicators", "import", str(source), "--source", "Báo")
    call_command("indicators", "export", "--indicator", "e_procurement_rate")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["value"] == "35.8" and rows[0]["unit"] == "56"
    xlsx = tmp_path / "out.xlsx"
    call_command("indicators", "export", "--output", str(xlsx))
    assert xlsx.read_bytes()[:2] == b"PK"


def test_a_rejected_import_names_every_problem(reference_units, tmp_path, capsys):
    source = tmp_path / "bad.csv"
    source.write_text("indicator,unit,period,value\nx,56,2020,1\ny,ZZ,2020,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="3 problem"):
        call_command("indicators", "import", str(source))
    err = capsys.readouterr().err
    assert "row 2, Indicator code: 'x' is not an indicator code" in err
    assert "row 3, Unit code: 'ZZ' is not a unit code" in err
    assert not IndicatorValue.objects.exists()


def test_rebuild_blocks_after_a_load_that_bypassed_the_platform(reference_units):
    from tinhso.indicators.selectors import compute

    count = IndicatorFactory(code="count", measure="count")
    assert compute(codes=["count"]).series("count", reference_units["56"]) == []
    IndicatorValue.objects.bulk_create([IndicatorValue(  # no save(), no signal
        indicator=count, unit=reference_units["22366"], period="2026",
        period_start="2026-01-01", value=4, source="sql", status="approved")])
    assert compute(codes=["count"]).series("count", reference_units["56"]) == []  # stale
    assert "1 indicators" in run_command("indicators", "rebuild-blocks")
    assert compute(codes=["count"]).series("count", reference_units["56"]) == [("2026", 4.0)]
