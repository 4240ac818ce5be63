"""The checks of a Word template an administrator uploads, before anything is stored: a .docx of
a reasonable size (a zip whose directory is read first: size as sent, size unpacked, each part's
compression ratio, number of parts, no encryption, ``word/document.xml`` present, no DTD in an
XML part, as ``core.xlsx_zip`` does for workbooks), then a sample report written with it
(every tag known, the Jinja correct, ``{{ body }}`` alone in a paragraph of the body). Each
refusal is a :class:`TemplateRejected` whose message names the problem.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from datetime import date

from django.utils.translation import gettext as _

from tinhso.core.xlsx_zip import HEAD_BYTES, RATIO_FLOOR, ZIP_MAGIC, megabytes
from tinhso.reports.document import (
    Column,
    Figure,
    Frame,
    Heading,
    Layout,
    Paragraph,
    Report,
    Signature,
    Table,
)
from tinhso.reports.word import TemplateBroken, render_with

MB = 1024 * 1024
MAX_BYTES = 5 * MB  # a template is a page or two with a logo at most
MAX_UNCOMPRESSED = 30 * MB
MAX_RATIO = 100  # unpacked / packed, for a part over RATIO_FLOOR
MAX_PARTS = 300
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old .doc, or a password-protected .docx


class TemplateRejected(ValueError):
    """An uploaded template that cannot be used; the message says why."""


def _png() -> bytes:
    """A 1×1 grey PNG: the sample report's chart."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b""))


def sample_report(layout: Layout) -> Report:
    """A short report with every kind of block, written with a template to try it."""
    frame = Frame(layout=layout, parent_body="", issuing_body="ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA",
                  number=5, symbol="BC-UBND" if layout == "state" else "BC/TU",
                  place="Khánh Hòa", day=date(2026, 1, 5), doc_type="BÁO CÁO",
                  summary="Báo cáo thử mẫu", recipients=("Như trên;",),
                  signature=Signature("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH",
                                      "Nguyễn Văn A"))
    table = Table("Bảng 1", (Column("Chỉ tiêu"), Column("Tỷ lệ", "percent", 2)),
                  (("Hồ sơ trực tuyến", 64.06), ("Chưa công bố", None)), note="Nguồn: thử.")
    return Report(kind="sample", frame=frame, blocks=(
        Heading("Kết quả"), Paragraph("Nội dung thử."), table, Figure(_png(), "Hình 1", 20)))


def check_zip(content: bytes) -> None:
    """Refuse what is not a plain, reasonably sized .docx, from its zip directory."""
    if not content:
        raise TemplateRejected(_("the file is empty"))
    if len(content) > MAX_BYTES:
        raise TemplateRejected(_("the file is larger than %(max)s MB")
                               % {"max": megabytes(MAX_BYTES)})
    if content.startswith(OLE_MAGIC):
        raise TemplateRejected(_("this is an old .doc file or a password-protected document: "
                                 "save it as a Word document (.docx) without a password"))
    if not content.startswith(ZIP_MAGIC):
        raise TemplateRejected(_("this is not a Word document (.docx)"))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            _check_parts(archive)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError,
            NotImplementedError) as exc:
        if isinstance(exc, TemplateRejected):
            raise
        raise TemplateRejected(_("the document is damaged: %s") % exc) from exc


def _check_parts(archive: zipfile.ZipFile) -> None:
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise TemplateRejected(_("the document has %(n)d parts, more than %(max)d")
                               % {"n": len(parts), "max": MAX_PARTS})
    total = sum(p.file_size for p in parts)
    if total > MAX_UNCOMPRESSED:
        raise TemplateRejected(_("the document unpacks to %(size)s MB, more than %(max)s MB")
                               % {"size": megabytes(total), "max": megabytes(MAX_UNCOMPRESSED)})
    for part in parts:
        if part.flag_bits & 0x1:
            raise TemplateRejected(_("the document is encrypted"))
        ratio = part.file_size // max(part.compress_size, 1)
        if part.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise TemplateRejected(_("%(part)s is compressed %(ratio)d times: this is not a "
                                     "document a person made")
                                   % {"part": part.filename, "ratio": ratio})
    names = {p.filename for p in parts}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise TemplateRejected(_("this is not a Word document (.docx): it has no "
                                 "word/document.xml"))
    for part in parts:
        if part.filename.endswith((".xml", ".rels")):
            with archive.open(part) as stream:
                head = stream.read(HEAD_BYTES).upper()
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise TemplateRejected(_("%(part)s declares a DTD, which a Word document "
                                         "never does") % {"part": part.filename})


def check_template(content: bytes, layout: Layout) -> None:
    """Refuse a template that is not a safe .docx or cannot write a report."""
    check_zip(content)
    try:
        render_with(sample_report(layout), content)
    except TemplateBroken as exc:
        raise TemplateRejected(str(exc)) from exc
    except Exception as exc:  # a broken document can fail anywhere in docxtpl or lxml
        raise TemplateRejected(_("a report cannot be written with this template: %s")
                               % (str(exc) or type(exc).__name__)) from exc
