"""edXML packages (QCVN 102:2016): a document with Vietnamese text and two attachments comes back
exactly as it left; a package lacking a required field, malformed or malicious XML, oversized
attachments and zip bombs are refused with an error naming the element at fault; status
messages round-trip. Pure: no database."""

from __future__ import annotations

import base64
import io
import time
import zipfile
from dataclasses import replace
from datetime import date, datetime

import pytest
from lxml import etree

from tinhso.documents.edxml import (
    NS,
    PRIORITY_URGENT,
    STATUS_RECEIVED,
    STATUS_REFUSED,
    VIETNAM,
    Attachment,
    Limits,
    Message,
    Organ,
    PackageError,
    ResponseFor,
    Signer,
    Status,
    TraceHeader,
    build_envelope,
    build_package,
    build_status,
    parse_package,
    parse_status,
)

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40
PROVINCE = Organ("000.00.00.H41", "Ủy ban nhân dân tỉnh Khánh Hòa", in_charge="Chính phủ",
                 address="01 Trần Phú, Nha Trang", email="vanthu@khanhhoa.gov.vn",
                 telephone="0258 3822 661", fax="0258 3822 662", website="khanhhoa.gov.vn")
DEPARTMENT = Organ("000.00.12.H41", "Sở Thông tin và Truyền thông")
COMMUNE = Organ("000.30.01.H41", "UBND xã Vĩnh Lương")


def message(**changes: object) -> Message:
    full = Message(
        sender=PROVINCE, recipients=(DEPARTMENT, COMMUNE),
        code_number="1234", code_notation="UBND-KSTTHC", promulgation_date=date(2026, 11, 27),
        document_type="2", type_detail="18", type_name="Công văn", place="Khánh Hòa",
        subject="Về việc đẩy mạnh chuyển đổi số trong giải quyết thủ tục hành chính",
        content="Ủy ban nhân dân tỉnh đề nghị các sở, ngành:\n1. Rà soát quy trình…\n"
                "2. Báo cáo trước ngày 15/12/2026.",
        signer=Signer("Trần Hòa Nam", "Phó Chủ tịch", "KT. CHỦ TỊCH"),
        due_date=date(2026, 12, 15), to_places=("Như trên", "Lưu: VT, KSTTHC"),
        priority=PRIORITY_URGENT, sphere_of_promulgation="Liên thông văn bản quốc gia",
        typer_notation="NTH", promulgation_amount=12, page_amount=3,
        appendixes=("Phụ lục I: Danh mục thủ tục",),
        steering_type="1",
        response_for=(ResponseFor("000.00.00.G22", "56/BTTTT-CĐSQG", date(2026, 10, 2),
                                  "000.00.00.G22,2026/10/02,56/BTTTT-CĐSQG"),),
        trace=(TraceHeader("000.00.00.H41", datetime(2026, 11, 27, 8, 30, 15, tzinfo=VIETNAM)),),
        document_id="000.00.00.H41,2026/11/27,1234/UBND-KSTTHC",
        attachments=(Attachment("Công văn 1234 (ký số).pdf", "application/pdf", PDF,
                                "Văn bản chính"),
                     Attachment("Phụ lục – danh mục.xlsx", "application/vnd.openxmlformats-"
                                "officedocument.spreadsheetml.sheet", _zip({"a.xml": b"<a/>"}),
                                "Phụ lục")))
    return replace(full, **changes)  # type: ignore[arg-type]


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _refused(data: bytes, limits: Limits | None = None) -> PackageError:
    with pytest.raises(PackageError) as caught:
        parse_package(data, limits)
    return caught.value


# --- round trips --------------------------------------------------------------------------------


def test_a_full_message_with_vietnamese_text_and_two_attachments_comes_back_exactly() -> None:
    sent = message()
    package = build_package(sent)
    assert package.startswith(b"Content-Type: multipart/related")
    assert parse_package(package) == sent


def test_the_envelope_is_edxml_in_the_qcvn_namespace_and_names_the_attachments() -> None:
    root = etree.fromstring(build_envelope(message()))
    assert root.tag == f"{{{NS}}}edXMLEnvelope" and root.prefix == "edXML"
    header = root.find(f"{{{NS}}}edXMLHeader/{{{NS}}}MessageHeader")
    assert header.findtext(f"{{{NS}}}Code/{{{NS}}}CodeNotation") == "UBND-KSTTHC"
    assert header.findtext(f"{{{NS}}}PromulgationInfo/{{{NS}}}PromulgationDate") == "2026/11/27"
    names = root.findall(f".//{{{NS}}}Reference/{{{NS}}}AttachmentName")
    assert [n.text for n in names] == ["Công văn 1234 (ký số).pdf", "Phụ lục – danh mục.xlsx"]


def test_the_single_xml_form_of_the_national_axis_sdk_is_read_too() -> None:
    sent = message(attachments=(Attachment("cv.pdf", "application/pdf", PDF, "Văn bản"),))
    envelope = etree.fromstring(build_envelope(sent))
    root = etree.Element(f"{{{NS}}}edXML", nsmap={None: NS})
    root.append(envelope)
    item = etree.SubElement(etree.SubElement(root, f"{{{NS}}}AttachmentEncoded"),
                            f"{{{NS}}}Attachment")
    etree.SubElement(item, f"{{{NS}}}ContentId").text = "attachment1@edxml"
    etree.SubElement(item, f"{{{NS}}}ContentTransferEncoded").text = \
        base64.b64encode(PDF).decode()
    assert parse_package(etree.tostring(root, encoding="UTF-8")) == sent


def test_a_status_comes_back_exactly() -> None:
    status = Status(
        response_for=ResponseFor("000.00.00.H41", "1234/UBND-KSTTHC", date(2026, 11, 27),
                                 "000.00.00.H41,2026/11/27,1234/UBND-KSTTHC"),
        sender=DEPARTMENT, code=STATUS_RECEIVED, description="Văn thư Sở đã nhận văn bản",
        timestamp=datetime(2026, 11, 27, 9, 5, 0, tzinfo=VIETNAM), staff="Lê Thị Thu Hà",
        department="Văn phòng Sở")
    assert parse_status(build_status(status)) == status
    refused = replace(status, code=STATUS_REFUSED, description="Sai đơn vị nhận")
    assert parse_status(build_status(refused)).code == "02"


def test_a_status_timestamp_is_read_in_vietnam_time_in_either_order_of_the_date() -> None:
    xml = build_status(Status(ResponseFor("A", "1/X", date(2026, 1, 2), "D"), DEPARTMENT,
                              STATUS_RECEIVED, "", datetime(2026, 1, 2, 3, 4, 5, tzinfo=VIETNAM),
                              "B"))
    assert b"2026/01/02 03:04:05" in xml
    status = parse_status(xml.replace(b"2026/01/02 03:04:05", b"02/01/2026 03:04:05"))
    assert status.timestamp == datetime(2026, 1, 2, 3, 4, 5, tzinfo=VIETNAM)
    assert status.timestamp == datetime.fromisoformat("2026-01-01T20:04:05+00:00")


# --- required fields ----------------------------------------------------------------------------


REQUIRED = ["From/OrganId", "To", "Code/CodeNumber", "Code/CodeNotation",
            "PromulgationInfo/PromulgationDate", "DocumentType/Type", "Subject", "DocumentId"]


@pytest.mark.parametrize("path", REQUIRED)
def test_a_package_without_a_required_field_is_refused_naming_it(path: str) -> None:
    root = etree.fromstring(build_envelope(message(attachments=())))
    header = root.find(f"{{{NS}}}edXMLHeader/{{{NS}}}MessageHeader")
    for element in header.findall("/".join(f"{{{NS}}}{step}" for step in path.split("/"))):
        element.getparent().remove(element)
    error = _refused(etree.tostring(root))
    assert error.field == path
    assert path in str(error)


@pytest.mark.parametrize(("change", "field"), [
    ({"sender": Organ("")}, "From/OrganId"), ({"recipients": ()}, "To"),
    ({"recipients": (DEPARTMENT, Organ(" "))}, "To[2]/OrganId"),
    ({"code_number": ""}, "Code/CodeNumber"), ({"subject": "  "}, "Subject"),
    ({"document_id": ""}, "DocumentId"), ({"document_type": ""}, "DocumentType/Type")])
def test_a_package_is_not_built_without_a_required_field(change: dict[str, object],
                                                          field: str) -> None:
    with pytest.raises(PackageError) as caught:
        build_package(message(**change))
    assert caught.value.field == field


@pytest.mark.parametrize("written", ["27-11-2026", "2026/13/01", "2026/02/30", "2026/11/27x",
                                     "26/11/27", "2026/11/27 08:00:00"])
def test_a_date_not_in_the_standard_form_or_not_on_the_calendar_is_refused(written: str) -> None:
    envelope = build_envelope(message(attachments=()))
    error = _refused(envelope.replace(b">2026/11/27<", f">{written}<".encode(), 1))
    assert error.field == "PromulgationInfo/PromulgationDate"


def test_a_date_written_day_first_is_read() -> None:
    envelope = build_envelope(message(attachments=()))
    parsed = parse_package(envelope.replace(b">2026/11/27<", b">27/11/2026<", 1))
    assert parsed.promulgation_date == date(2026, 11, 27)


# --- malformed and malicious --------------------------------------------------------------------


def test_malformed_xml_is_refused() -> None:
    envelope = build_envelope(message(attachments=()))
    error = _refused(envelope[: len(envelope) // 2])
    assert "not well-formed" in str(error)


def test_a_package_that_is_neither_mime_nor_xml_is_refused() -> None:
    assert _refused(b"hello, this is no package").field == "package"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXML:edXMLHeader>
<edXML:MessageHeader><edXML:Subject>&lol9;</edXML:Subject></edXML:MessageHeader>
</edXML:edXMLHeader></edXML:edXMLEnvelope>"""


def test_a_billion_laughs_package_is_refused_without_expanding_it() -> None:
    started = time.monotonic()
    error = _refused(BILLION_LAUGHS)
    assert "DTD" in str(error)
    assert time.monotonic() - started < 1


def test_an_external_entity_is_refused_never_fetched(tmp_path: object) -> None:
    xxe = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
           b'<edXML:edXMLEnvelope xmlns:edXML="' + NS.encode() + b'"><edXML:edXMLHeader>'
           b"<edXML:MessageHeader><edXML:Subject>&secret;</edXML:Subject>"
           b"</edXML:MessageHeader></edXML:edXMLHeader></edXML:edXMLEnvelope>")
    assert "refused" in str(_refused(xxe))


def test_a_status_with_a_dtd_is_refused() -> None:
    with pytest.raises(PackageError):
        parse_status(BILLION_LAUGHS)


# --- sizes and zip bombs ------------------------------------------------------------------------


def test_an_attachment_larger_than_the_limit_is_refused_naming_it() -> None:
    package = build_package(message())
    error = _refused(package, Limits(max_attachment_bytes=5000))
    assert error.field == "Manifest/Reference[1] (Công văn 1234 (ký số).pdf)"
    assert "larger than" in str(error)


def test_a_package_larger_than_the_limit_is_refused_before_reading() -> None:
    package = build_package(message())
    assert _refused(package, Limits(max_package_bytes=len(package) - 1)).field == "package"


def test_a_package_with_more_attachments_than_the_limit_is_refused() -> None:
    error = _refused(build_package(message()), Limits(max_attachments=1))
    assert "more than 1" in str(error)


def _bomb() -> bytes:
    """About 100 KB that declare 101 MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive, \
            archive.open("word/document.xml", "w", force_zip64=True) as entry:
        chunk = bytes(1024 * 1024)
        for _ in range(101):
            entry.write(chunk)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_without_being_decompressed(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    bomb = _bomb()
    assert len(bomb) < 200 * 1024
    package = build_package(message(attachments=(
        Attachment("Báo cáo.docx", "application/octet-stream", bomb),)))

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the attachment was decompressed")

    monkeypatch.setattr(zipfile.ZipFile, "open", never)
    monkeypatch.setattr(zipfile.ZipFile, "read", never)
    error = _refused(package)
    assert error.field == "Manifest/Reference[1] (Báo cáo.docx)"
    assert "zip bomb" in str(error)


def test_a_zip_container_compressed_beyond_the_ratio_is_refused_even_under_a_harmless_name(
) -> None:
    packed = _zip({"zeros.bin": bytes(5 * 1024 * 1024)})  # 5 MB in a few KB
    package = build_package(message(attachments=(
        Attachment("scan.pdf", "application/pdf", packed),)))
    assert "compressed" in str(_refused(package))


def test_an_ordinary_office_file_passes() -> None:
    sheet = _zip({"xl/workbook.xml": "<workbook>Bảng kê</workbook>".encode() * 50})
    attachment = Attachment("Bảng kê.xlsx", "application/octet-stream", sheet)
    assert parse_package(build_package(message(attachments=(attachment,)))).attachments == \
        (attachment,)


def test_a_broken_zip_container_is_refused() -> None:
    package = build_package(message(attachments=(
        Attachment("Báo cáo.docx", "application/octet-stream", b"PK\x03\x04 broken"),)))
    assert "cannot be read" in str(_refused(package))


def test_a_manifest_naming_a_missing_attachment_is_refused() -> None:
    package = build_package(message())
    cut = package.replace(b"<attachment2@edxml>", b"<other@edxml>")
    assert "attachment2@edxml" in str(_refused(cut))
