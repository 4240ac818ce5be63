"""A Word document through LibreOffice, as a reader would see it: converted headless to PDF and
the PDF's text extracted with pypdf. For every report type's test:

    text = docx_to_pdf_text(render(report, "docx"))
    assert_in_order(text, [("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                           "Số: 05/BC-UBND", "BÁO CÁO", "12.345", ("Nơi nhận:", "Trần Thị Mẫu")])

When LibreOffice is not installed (``scripts/install-office.sh`` installs Debian's
``libreoffice-writer-nogui`` where it can) the test is skipped and says why. Each test process
has its own LibreOffice profile (``-env:UserInstallation``), so parallel runs do not share one,
and each conversion has a time limit.
"""

from __future__ import annotations

import atexit
import io
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from pypdf import PdfReader

TIMEOUT_SECONDS = 120
MISSING_OFFICE = ("LibreOffice (soffice) is not installed: run scripts/install-office.sh "
                  "(Debian's libreoffice-writer-nogui and fonts-liberation2) to convert "
                  "Word reports to PDF in the tests")


def soffice() -> str | None:
    """The LibreOffice program, or None."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return "/usr/bin/soffice" if Path("/usr/bin/soffice").exists() else None


def require_office() -> str:
    """The LibreOffice program; skips the test (saying why) when there is none."""
    program = soffice()
    if program is None:
        pytest.skip(MISSING_OFFICE)
    return program


def _profile() -> Path:
    """This process's LibreOffice profile (made on the first conversion, then reused)."""
    path = Path(tempfile.gettempdir()) / f"tinhso-office-{os.getuid()}-{os.getpid()}"
    if not path.exists():
        path.mkdir()
        atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def docx_to_pdf(docx: bytes, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The document converted to PDF by LibreOffice headless."""
    program = require_office()
    with tempfile.TemporaryDirectory(prefix="tinhso-docx-") as work:
        source = Path(work) / "report.docx"
        source.write_bytes(docx)
        command = [program, "--headless", "--norestore", "--nolockcheck",
                   f"-env:UserInstallation={_profile().as_uri()}",
                   "--convert-to", "pdf", "--outdir", work, str(source)]
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        target = Path(work) / "report.pdf"
        if done.returncode != 0 or not target.exists():
            raise AssertionError(
                f"LibreOffice did not convert the document (exit {done.returncode}): "
                f"{done.stderr.decode(errors='replace')[-500:]}")
        return target.read_bytes()


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, page after page, its lines kept, its spaces made plain and single."""
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"[ \t\u00a0\u202f]+", " ", text)


def docx_to_pdf_text(docx: bytes, timeout: float = TIMEOUT_SECONDS) -> str:
    """What a reader of the document sees, as text."""
    return pdf_text(docx_to_pdf(docx, timeout))


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def assert_in_order(text: str, pieces: Sequence[str | tuple[str, ...]]) -> None:
    """Each piece is in ``text`` after the one before it. A tuple is a group found in any
    order (the two cells of a row: a PDF's text may give either first); the next piece comes
    after the whole group. Spaces and line breaks count as one space (a line may wrap)."""
    plain = _plain(text)
    position = 0
    for piece in pieces:
        group = piece if isinstance(piece, tuple) else (piece,)
        end = position
        for member in group:
            wanted = _plain(member)
            found = plain.find(wanted, position)
            assert found >= 0, (f"“{wanted}” is not in the text after position {position}: "
                                f"…{plain[position:position + 300]!r}…")
            end = max(end, found + len(wanted))
        position = end
