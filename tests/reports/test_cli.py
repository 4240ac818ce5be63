"""``tinhso reports make``: a file written whole (a temporary file renamed), or exit code 2
with a clear message and nothing written. (Called through ``call_command``: the command line's
``run_from_argv`` exits with a ``CommandError``'s ``returncode`` and prints its message, but it
also closes the database connections, which a test's transaction cannot survive.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def make(tmp_path: Path, *args: str) -> tuple[int, str, Path]:
    """(exit status, message, the file asked for)."""
    out = tmp_path / "bao-cao.txt"
    try:
        call_command("reports", "make", *args, "--out", str(out))
    except CommandError as error:
        return error.returncode, str(error), out
    return 0, "", out


def test_make_writes_the_report(demo, fake_format, tmp_path, capsys) -> None:
    code, _message, out = make(tmp_path, "programme", "--period", "2026-Q4", "--format", "txt",
                     "--layout", "party", "--number", "15")
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert "TỈNH ỦY KHÁNH HÒA" in text and "Số: 15/BC/TU" in text and "quý IV năm 2026" in text
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left
    assert "bytes" in capsys.readouterr().out


@pytest.mark.parametrize(("args", "words"), [
    (("budget", "--period", "2026", "--format", "txt"), "Unknown report type"),
    (("dti", "--period", "2026", "--format", "odt"), "Unknown format “odt”"),
    (("dti", "--period", "2026-Q9", "--format", "txt"), "is not a period"),
    (("services", "--period", "2019", "--format", "txt"), "has no dossier"),
    (("services", "--period", "2026", "--format", "txt", "--unit", "00"), "no unit"),
    (("services", "--period", "2026", "--format", "txt", "--unit", "56", "--user",
      "baocao.stc"), "may not make reports"),
    (("services", "--period", "2026", "--format", "txt", "--user", "nobody"), "no user"),
])
def test_bad_input_exits_2_and_writes_nothing(demo, fake_format, tmp_path, args, words) -> None:
    code, message, out = make(tmp_path, *args)
    assert code == 2
    assert words in message and "Nothing was written." in message
    assert not out.exists() and not list(tmp_path.iterdir())


def test_a_failing_renderer_leaves_no_file(demo, broken_format, tmp_path) -> None:
    with pytest.raises(RuntimeError):
        make(tmp_path, "services", "--period", "2026", "--format", broken_format)
    assert not list(tmp_path.iterdir())
