"""`tinhso scoring import-results` on files far larger or worse than a published ranking: a
size cap checked before reading, a row cap while streaming, at most 50 problems printed; nothing
written in any case."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from django.core.management import CommandError, call_command

from tinhso.scoring.models import PublishedResult

pytestmark = pytest.mark.django_db
HEADER = "rank,province_code,published_name,dti\n"


def _import(path: object) -> None:
    call_command("scoring", "import-results", str(path), "--framework", "dti-province-922",
                 "--year", "2022")


def test_a_file_wrong_on_every_row_prints_fifty_problems_and_stops(reference_units, tmp_path,
                                                                   capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "".join(f"{n},ZZ{n},Nowhere,0.5\n" for n in range(1, 10_001)),
                   encoding="utf-8")
    with pytest.raises(CommandError, match=r"50\+ problem"):
        _import(bad)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 51  # printed 1.6 million lines for a 50 MB file
    assert lines[0] == "bad.csv: row 2, province_code: 'ZZ1' is not a unit code"
    assert lines[-1] == "bad.csv: … and more; stopped after 50 errors"
    assert not PublishedResult.objects.exists()


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(reference_units, tmp_path):
    big = tmp_path / "big.csv"
    big.write_text(HEADER + "1,56,Khánh Hòa,0.5\n" * 350_000, encoding="utf-8")  # 6.5 MB
    tracemalloc.start()
    try:
        with pytest.raises(CommandError, match="larger than 5 MB; nothing was imported"):
            _import(big)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024
    assert not PublishedResult.objects.exists()


def test_rows_past_the_row_cap_are_not_read(reference_units, tmp_path, capsys):
    long = tmp_path / "long.csv"
    long.write_text(HEADER + "".join(f"{n},56,Khánh Hòa,0.5\n" for n in range(1, 200_001)),
                    encoding="utf-8")  # 4.5 MB, under the size cap
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(CommandError, match="1 problem"):
            _import(long)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 10
    assert peak < 60 * 1024 * 1024  # 200,000 rows held whole took some hundreds of MB
    assert capsys.readouterr().err.splitlines() == [
        "long.csv: row 20002, file: the file has more than 20000 rows: split it"]
    assert not PublishedResult.objects.exists()
