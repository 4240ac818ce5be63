from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.helpers import run_command
from tinhso.scoring.models import PublishedResult

pytestmark = pytest.mark.django_db

CSV = Path(__file__).resolve().parents[2] / "src/tinhso/scoring/data/dti_province_2022.csv"


def test_import_2022_and_print_the_ranking(reference_units):
    out = run_command("scoring", "import-results", str(CSV), "--framework", "dti-province-922",
                      "--year", "2022")
    assert "63 results, 5 with every main indicator's value" in out
    assert re.search(r"imported \d{2}/\d{2}/\d{4}\.", out)  # dd/mm/yyyy
    assert out.count("agrees within rounding") == 5 and "DIFFERS" not in out
    rows = list(csv.DictReader(io.StringIO(run_command(
        "scoring", "rank", "--framework", "dti-province-922", "--year", "2022"))))
    by_code = {r["unit"]: r for r in rows}
    assert len(rows) == 63
    assert by_code["38"]["rank"] == by_code["15"]["rank"] == "15"  # Thanh Hóa, Yên Bái
    assert by_code["56"]["rank"] == "41"  # Khánh Hòa
    assert by_code["84"]["total"] == "0.607700"  # Trà Vinh, 25th
    ranking = json.loads(run_command("scoring", "rank", "--framework", "dti-province-922",
                                     "--year", "2022", "--format", "json"))
    assert ranking[0] == {"rank": 1, "unit": "48", "name": "TP. Đà Nẵng", "total": 0.8002}
    # Importing again changes nothing.
    run_command("scoring", "import-results", str(CSV), "--framework", "dti-province-922",
                "--year", "2022")
    assert PublishedResult.objects.count() == 63
    listing = run_command("scoring", "frameworks")
    assert re.search(r"2022, field of 63: 63 results, imported \d{2}/\d{2}/\d{4}", listing)


def test_the_importer_speaks_through_the_translation_catalogue(reference_units, monkeypatch):
    # Every message goes through gettext with an English message id: a catalogue that
    # translated them would change what is printed.
    from tinhso.scoring.management.commands import scoring as command

    monkeypatch.setattr(command, "_", lambda message: "«" + message + "»")
    out = run_command("scoring", "import-results", str(CSV), "--framework",
                      "dti-province-922", "--year", "2022")
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines and all("«" in line for line in lines)


def test_a_difference_beyond_rounding_is_reported(reference_units, tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text(CSV.read_text(encoding="utf-8").replace(",0.8002\n", ",0.7002\n"),
                   encoding="utf-8")
    out = run_command("scoring", "import-results", str(bad), "--framework",
                      "dti-province-922", "--year", "2022")
    assert "48: published 0.7002, recomputed 0.8002: DIFFERS by 0.1000" in out


def test_bad_files_are_rejected_whole(reference_units, tmp_path, capsys):
    bad = tmp_path / "x.csv"
    bad.write_text("rank,province_code,nhan_thuc_so\n1,48,1.5\nx,99,0.5\n", encoding="utf-8")
    with pytest.raises(CommandError, match="3 problem"):
        call_command("scoring", "import-results", str(bad), "--framework", "dti-province-922",
                     "--year", "2022")
    err = capsys.readouterr().err
    assert "row 2, nhan_thuc_so: 1.5 is not in [0, 1]" in err
    assert "row 3, province_code: '99' is not a unit code" in err
    assert "row 3, rank" in err
    assert not PublishedResult.objects.exists()
    with pytest.raises(CommandError, match="no framework 'nope'"):
        call_command("scoring", "rank", "--framework", "nope", "--year", "2022")
