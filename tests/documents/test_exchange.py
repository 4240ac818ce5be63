"""Exchange with other agencies through a connector (the in-memory fake): an issued document
the clerk sends becomes an edXML package that arrives as an incoming document with every field
and file; bad packages are refused with the reason and nothing registered; statuses flow back
to the sender. One database plays both ends: the province sends to the finance department's agency
code as to an organisation elsewhere."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.documents.pki import make_pdf, make_pki
from tests.factories import Office, incoming, office_world
from tinhso.accounts.permissions import SYSTEM
from tinhso.audit.models import AuditEvent
from tinhso.documents import connectors, edxml, exchange, services
from tinhso.documents.connectors import FakeConnector, Inbound
from tinhso.documents.models import Document, Exchange, Step
from tinhso.documents.signatures import sign_pdf

pytestmark = pytest.mark.django_db

PROVINCE_CODE, FINANCE_CODE = "000.00.00.H34", "000.00.15.H34"
SENDER = edxml.Organ("000.00.00.H41", "UBND tỉnh Khác")


@pytest.fixture
def office(settings: Any) -> Office:
    settings.TINHSO_DOCUMENT_EXCHANGE = "fake"
    return office_world()


@pytest.fixture
def fake() -> FakeConnector:
    return FakeConnector(organs={PROVINCE_CODE, FINANCE_CODE})


def outgoing(office: Office, **fields: Any) -> Document:
    """Issued by the province, addressed to the finance department as to another agency."""
    earlier = incoming(office, exchange_id="000.00.00.G12,2026,405")
    files = fields.pop("files", [SimpleUploadedFile("Công văn.pdf", make_pdf(), "application/pdf")])
    draft = services.outgoing_draft(
        actor=office.clerk, unit=office.province, kind="Công văn", notation="UBND-KT",
        subject="Về việc triển khai chuyển đổi số năm 2027", reply_to=earlier,
        external=[(FINANCE_CODE, "Sở Tài chính")], files=files,
        **{"place": "Nha Trang", "content": "Đề nghị các sở:\n1. Rà soát.", "priority": "2",
           "page_count": 3, "copies": 12, "due_on": timezone.localdate() + timedelta(days=9),
           "signer_competence": "KT. CHỦ TỊCH", "signer_position": "Phó Chủ tịch", **fields})
    issued = services.outgoing_issue(actor=office.clerk, document=draft,
                                     signer_name="Trần Hòa Nam")
    exchange.document_send(actor=office.clerk, document=issued)
    issued.refresh_from_db()
    return issued


def run(fake: FakeConnector) -> tuple[exchange.SendReport, exchange.ReceiveReport]:
    sent = exchange.exchange_send_pending(connector=fake)
    return sent, exchange.exchange_receive(actor=SYSTEM, connector=fake)


def arrived(office: Office) -> Document:
    return Document.objects.get(direction="in", unit=office.finance)


def test_an_issued_document_arrives_with_every_field_and_file(office, fake):
    sent = outgoing(office)
    queued = Exchange.objects.get(document=sent, outbound=True)
    assert (queued.state, queued.peer_code, sent.status) == ("waiting", FINANCE_CODE, "sent")
    assert exchange.document_send(actor=office.clerk, document=sent) == []  # queued once
    report, received = run(fake)
    assert (report.sent, received.registered, received.rejected) == (1, 1, 0)
    got = arrived(office)
    for field in ("issuer_code", "issuer_name", "number", "notation", "kind", "issued_on",
                  "place", "subject", "content", "signer_name", "signer_position",
                  "signer_competence", "priority", "page_count", "copies", "due_on",
                  "exchange_id"):
        assert getattr(got, field) == getattr(sent, field), field
    assert got.code == sent.code == "01/UBND-KT" and got.arrival_number == 1
    assert got.trace[0] == {"organ_id": "000.00.00.G12", "code": "405/QĐ-BKHCN",
                            "issued_on": "2026-03-20", "document_id": "000.00.00.G12,2026,405"}
    assert got.trace[1]["organ_id"] == PROVINCE_CODE
    (original,), (copy,) = sent.attachments.all(), got.attachments.all()
    assert copy.name == "Công văn.pdf" and copy.sha256 == original.sha256
    assert copy.file.read() == original.file.read()
    assert copy.signature_state == "unsigned"
    assert Step.objects.filter(document=got, kind="received").exists()
    assert AuditEvent.objects.filter(action="office.received", object_id=str(got.pk)).exists()


def test_the_sender_sees_the_acknowledgement_and_each_stage_of_the_handling(office, fake):
    sent = outgoing(office)
    run(fake)
    run(fake)  # the receiver's "received" goes back and is read
    row = Exchange.objects.get(document=sent, outbound=True)
    assert (row.state, row.status_code) == ("acknowledged", "01")
    assert "arrival number 1/" in row.status_text
    got = arrived(office)
    services.document_direct(actor=office.leader, document=got, lead_unit=office.finance,
                             instruction="Sở Tài chính chủ trì", working_days=5)
    services.document_comment(actor=office.finance_officer, document=got, text="Đang rà soát")
    services.document_comment(actor=office.finance_officer, document=got, text="Còn rà soát")
    services.document_close(actor=office.finance_officer, document=got, reason="Đã triển khai")
    run(fake)
    row.refresh_from_db()
    assert (row.state, row.status_code) == ("acknowledged", "06")
    assert "Đã triển khai" in row.status_text
    codes = list(Step.objects.filter(document=sent, kind="status")
                 .values_list("details__code", flat=True))
    assert codes == ["01", "04", "05", "06"]  # each stage once, in order


def test_the_answer_of_the_other_agency_arrives_linked_to_the_document_it_answers(office,
                                                                                  fake):
    sent = outgoing(office)
    run(fake)
    got = arrived(office)
    draft = services.outgoing_draft(
        actor=office.finance_officer, unit=office.finance, kind="Công văn", notation="STC-VP",
        subject="Trả lời về chuyển đổi số", reply_to=got, external=[(PROVINCE_CODE, "UBND")])
    answer = services.outgoing_issue(actor=office.finance_clerk, document=draft,
                                     signer_name="Lê Văn C")
    exchange.document_send(actor=office.finance_clerk, document=answer)
    run(fake)
    back = Document.objects.get(direction="in", unit=office.province, issuer_code=FINANCE_CODE)
    assert back.reply_to == sent and back.code == "01/STC-VP"
    assert back.trace[0]["document_id"] == got.exchange_id == sent.exchange_id
    row = Exchange.objects.get(document=sent, outbound=True)
    assert (row.status_code, row.status_text) == ("06", "Answered by document 01/STC-VP.")


def test_sending_failures_are_kept_and_tried_again_later(office, fake):
    sent = outgoing(office)
    fake.fail = True
    assert exchange.exchange_send_pending(connector=fake).failed == 1
    row = Exchange.objects.get(document=sent)
    assert (row.state, row.attempts) == ("failed", 1) and "unavailable" in row.last_error
    fake.fail = False
    assert exchange.exchange_send_pending(connector=fake).deferred == 1  # backing off
    later = timezone.now() + timedelta(minutes=2)
    assert exchange.exchange_send_pending(connector=fake, now=later).sent == 1
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == ("sent", 2, "")


def test_an_unknown_recipient_fails_with_a_clear_message(office, fake):
    fake.organs.discard(FINANCE_CODE)
    sent = outgoing(office)
    exchange.exchange_send_pending(connector=fake)
    row = Exchange.objects.get(document=sent)
    assert row.state == "failed"
    assert f"knows no organisation with the code {FINANCE_CODE}" in row.last_error


def test_what_cannot_be_sent_is_refused_before_anything_is_queued(office, settings):
    confidential = services.outgoing_draft(
        actor=office.clerk, unit=office.province, kind="Công văn", notation="UBND-M",
        subject="Mật", external=[(FINANCE_CODE, "Sở Tài chính")], confidential=True,
        readers=[office.leader])
    services.outgoing_issue(actor=office.clerk, document=confidential, signer_name="A")
    with pytest.raises(ValidationError) as refused:
        exchange.document_send(actor=office.clerk, document=confidential)
    assert "confidential" in refused.value.message_dict
    settings.TINHSO_DOCUMENT_EXCHANGE = ""
    draft = services.outgoing_draft(actor=office.clerk, unit=office.province, kind="Công văn",
                                    notation="UBND-KT", subject="x",
                                    recipients=[office.justice])
    with pytest.raises(ValidationError) as refused:
        exchange.document_send(actor=office.clerk, document=draft)
    assert set(refused.value.message_dict) == {"exchange", "status", "recipients"}
    assert not Exchange.objects.exists()


# --- packages refused -----------------------------------------------------------------------


def message(**changes: Any) -> edxml.Message:
    return replace(edxml.Message(
        sender=SENDER, recipients=(edxml.Organ(FINANCE_CODE, "Sở Tài chính"),),
        code_number="7", code_notation="UBND-VP", promulgation_date=date(2026, 11, 2),
        document_type="2", type_name="Công văn", subject="Về việc phối hợp",
        document_id="000.00.00.H41,2026/11/02,7/UBND-VP"), **changes)


def drop(fake: FakeConnector, data: bytes, name: str = "p.edxml") -> None:
    fake.waiting.setdefault(FINANCE_CODE, []).append(
        Inbound(name=name, data=data, ref=f"{FINANCE_CODE}/{name}"))


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (4 * 1024 * 1024))
    return buffer.getvalue()


def _without_subject() -> bytes:
    return re.sub(rb"<edXML:Subject>.*?</edXML:Subject>", b"",
                  edxml.build_envelope(message()), flags=re.S)


@pytest.mark.parametrize(("data", "reason"), [
    (b"this is not a package", "package: is neither"),
    (_without_subject(), "Subject: is missing"),
    (edxml.build_package(message(recipients=(edxml.Organ("000.00.99.H99"),))),
     "To: names no organisation of this installation (000.00.99.H99)"),
    (edxml.build_package(message(attachments=(edxml.Attachment(
        "Phụ lục.docx", "application/octet-stream", _zip_bomb()),))), "a zip bomb?"),
    (edxml.build_package(message(code_number="VII")), "is not a document number (VII)"),
], ids=["unparseable", "missing-field", "unknown-recipient", "zip-bomb", "bad-number"])
def test_a_bad_package_is_refused_with_the_reason_and_nothing_registered(office, fake, data,
                                                                          reason):
    drop(fake, data)
    assert exchange.exchange_receive(actor=SYSTEM, connector=fake).rejected == 1
    assert reason in fake.rejected[f"{FINANCE_CODE}/p.edxml"]
    assert not Document.objects.filter(direction="in", unit=office.finance).exists()
    row = Exchange.objects.get(outbound=False)
    assert row.state == "rejected" and reason in row.last_error
    event = AuditEvent.objects.get(action="office.refused")
    assert reason in event.details["reason"]
    told = Exchange.objects.filter(outbound=True, status_code="02").first()
    if data.startswith(b"this is not"):
        assert told is None  # nobody named to tell
    else:
        assert told is not None and told.peer_code == SENDER.organ_id


def test_a_package_received_twice_is_registered_once_and_acknowledged_again(office, fake):
    data = edxml.build_package(message())
    drop(fake, data, "a.edxml")
    drop(fake, data, "b.edxml")
    report = exchange.exchange_receive(actor=SYSTEM, connector=fake)
    assert (report.registered, report.duplicates) == (1, 1)
    assert Document.objects.filter(direction="in", unit=office.finance).count() == 1
    assert Exchange.objects.filter(outbound=True, status_code="01").count() == 2
    assert fake.done_refs == [f"{FINANCE_CODE}/a.edxml", f"{FINANCE_CODE}/b.edxml"]


def test_a_signature_that_does_not_verify_is_accepted_and_marked(office, fake, tmp_path,
                                                                  settings):
    pki = make_pki()
    (tmp_path / "root.pem").write_bytes(pki.root_pem)
    settings.TINHSO_DOCUMENT_TRUST_ROOTS = [str(tmp_path / "root.pem")]
    signed = sign_pdf(make_pdf(), pki.key_pem, pki.cert_pem, chain_pem=(pki.root_pem,))
    altered = signed.replace(b"thu nghiem", b"THU NGHIEM")
    drop(fake, edxml.build_package(message(attachments=(
        edxml.Attachment("ký số.pdf", "application/pdf", signed),
        edxml.Attachment("../../sửa.pdf", "application/pdf", altered)))))
    assert exchange.exchange_receive(actor=SYSTEM, connector=fake).registered == 1
    document = arrived(office)
    good, bad = document.attachments.all()
    assert (good.name, good.signature_state) == ("ký số.pdf", "valid")
    assert (bad.name, bad.signature_state) == ("sửa.pdf", "altered")  # kept in its folder
    assert bad.file.name.startswith(f"documents/{document.pk}/") and ".." not in bad.file.name


def test_a_status_answering_nothing_sent_from_here_is_refused(office, fake):
    status = edxml.Status(response_for=edxml.ResponseFor(SENDER.organ_id, "1/X", date(2026, 1, 2),
                                                         "nothing,1"),
                          sender=SENDER, code="01", description="", timestamp=timezone.now(),
                          staff="")
    drop(fake, edxml.build_status(status), "s.status.xml")
    assert exchange.exchange_receive(actor=SYSTEM, connector=fake).rejected == 1
    assert "names no document sent from here" in fake.rejected[f"{FINANCE_CODE}/s.status.xml"]


# --- by hand ----------------------------------------------------------------------------------


def test_export_and_import_carry_a_document_by_hand(office, tmp_path: Path):
    sent = outgoing(office)
    path = tmp_path / "cv.edxml"
    out = io.StringIO()
    call_command("documents", "export", str(sent.pk), "--out", str(path), stdout=out)
    assert "01/UBND-KT" in out.getvalue()
    call_command("documents", "import", str(path), "--unit", "STC", stdout=out)
    assert "registered at Sở Tài chính (thử) as arrival number 1/" in out.getvalue()
    call_command("documents", "import", str(path), "--unit", FINANCE_CODE, stdout=out)
    assert "was already registered" in out.getvalue()
    assert arrived(office).subject == sent.subject
    with pytest.raises(CommandError, match="names no organisation of this installation"):
        call_command("documents", "import", str(path), "--unit", "STP")
    assert not Document.objects.filter(unit=office.justice).exists()


def test_the_cron_command_receives_then_sends(office, fake, monkeypatch):
    monkeypatch.setattr(connectors, "FAKE", fake)  # what TINHSO_DOCUMENT_EXCHANGE=fake uses
    outgoing(office)
    out = io.StringIO()
    call_command("documents", "exchange", stdout=out)
    assert "Sent: 1 sent, 0 failed" in out.getvalue()
    call_command("documents", "exchange", "--receive", stdout=out)
    assert "Received: 1 registered" in out.getvalue()
