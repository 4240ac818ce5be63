"""The papers the one-stop hands out, as PDF: the receipt with the appointment for the result
(giấy tiếp nhận hồ sơ và hẹn trả kết quả) and the apology letter with a new appointment (phiếu
xin lỗi và hẹn lại ngày trả kết quả), after the forms of Circular 01/2018/TT-VPCP.

They are administrative documents: written in the official language (``LANGUAGE_CODE``)
whatever the language of the page that asks for them, in a font with every Vietnamese letter.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tinhso.procedures.models import ApologyLetter, Dossier, FileKind

# Fonts with the whole Vietnamese alphabet (DejaVu Sans is on the servers; the others are
# fallbacks where it is not).
FONTS = '"DejaVu Sans", "Noto Sans", "Liberation Sans", sans-serif'


def _html(template: str, context: dict[str, Any]) -> str:
    """The paper's HTML, in the official language whatever the page's."""
    with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        return render_to_string(template, {"fonts": FONTS, "now": timezone.localtime(),
                                           **context})


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    import weasyprint  # imported here: loading it costs time every page does not need

    return weasyprint.HTML(string=_html(template, context)).write_pdf()  # type: ignore[no-any-return]


def _documents(dossier: Dossier) -> list[dict[str, str]]:
    """The documents received: each one the procedure asks for, with the file given for it."""
    names = {d["code"]: d["name"] for d in dossier.procedure.required_documents or []}
    return [{"name": names.get(f.document, f.document) or f.name, "file": f.name}
            for f in dossier.files.filter(kind=FileKind.DOCUMENT)]


def _receipt(dossier: Dossier, lookup_url: str) -> tuple[str, dict[str, Any]]:
    return "procedures/portal/receipt.pdf.html", {
        "dossier": dossier, "procedure": dossier.procedure, "unit": dossier.unit,
        "documents": _documents(dossier), "lookup_url": lookup_url or "/dossiers/lookup/",
    }


def receipt_html(dossier: Dossier, lookup_url: str = "") -> str:
    """The receipt's HTML, as :func:`receipt_pdf` prints it."""
    return _html(*_receipt(dossier, lookup_url))


def receipt_pdf(dossier: Dossier, lookup_url: str = "") -> bytes:
    """The receipt: agency, code, procedure, applicant, received and due times, the documents
    received, and how to look the dossier up (its code and the applicant's phone number)."""
    return _pdf(*_receipt(dossier, lookup_url))


def apology_pdf(letter: ApologyLetter, lookup_url: str = "") -> bytes:
    """The apology letter: why the dossier is late and, when given, the new appointment."""
    dossier = letter.dossier
    return _pdf("procedures/portal/apology.pdf.html", {
        "letter": letter, "dossier": dossier, "procedure": dossier.procedure,
        "unit": dossier.unit, "lookup_url": lookup_url or "/dossiers/lookup/",
    })
