"""The clerk affixes the organisation's signature to an outgoing PDF: a signed copy is kept
beside the original, checked as valid against the configured roots; an arriving file whose
signature does not verify is kept and marked, never valid."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.documents.pki import make_pdf
from tests.factories import incoming_fields, office_world
from tinhso.audit.models import AuditEvent
from tinhso.documents import services
from tinhso.documents.models import Attachment

pytestmark = pytest.mark.django_db


def _pdf(name: str = "cong-van.pdf", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data or make_pdf(), content_type="application/pdf")


def test_the_clerk_signs_an_outgoing_pdf_and_the_copy_checks_valid(configured):
    office = office_world()
    draft = services.outgoing_draft(actor=office.finance_officer, unit=office.finance,
                                    kind="Công văn", notation="STC-VP", subject="Thử ký số",
                                    external=[("000.00.00.G12", "Bộ KH&CN")], files=[_pdf()])
    original = draft.attachments.get()
    assert original.signature_state == "unsigned"
    with pytest.raises(PermissionDenied):  # the officer who drafted does not sign for the body
        services.attachment_sign(actor=office.finance_officer, attachment=original)
    signed = services.attachment_sign(actor=office.finance_clerk, attachment=original)
    assert signed.signed_here and signed.signature_state == "valid"
    assert signed.name == "cong-van.signed.pdf" and draft.attachments.count() == 2
    assert AuditEvent.objects.filter(action="office.signed").count() == 1


def test_an_arriving_pdf_whose_signature_does_not_verify_is_kept_and_marked(configured):
    office = office_world()
    from tinhso.documents.signing import sign

    signed = sign(make_pdf())
    altered = signed.replace(b"thu nghiem", b"THU NGHIEM")
    assert altered != signed
    document = services.incoming_register(
        actor=office.clerk, unit=office.province, files=[_pdf("a.pdf", altered)],
        **incoming_fields())
    kept = Attachment.objects.get(document=document)
    assert kept.signature_state == "altered" and kept.size == len(altered)


def test_the_files_of_a_sent_document_are_not_signed_again(configured):
    office = office_world()
    draft = services.outgoing_draft(actor=office.finance_officer, unit=office.finance,
                                    kind="Công văn", notation="STC-VP", subject="x",
                                    recipients=[office.province], files=[_pdf()])
    services.outgoing_issue(actor=office.finance_clerk, document=draft, signer_name="B")
    with pytest.raises(ValidationError):
        services.attachment_sign(actor=office.finance_clerk, attachment=draft.attachments.get())


def test_without_a_certificate_signing_says_what_to_set(settings):
    settings.TINHSO_DOCUMENT_SIGNING_KEY = ""
    office = office_world()
    draft = services.outgoing_draft(actor=office.finance_officer, unit=office.finance,
                                    kind="Công văn", notation="STC-VP", subject="x",
                                    external=[("G12", "Bộ")], files=[_pdf()])
    with pytest.raises(ValidationError) as refused:
        services.attachment_sign(actor=office.finance_clerk, attachment=draft.attachments.get())
    assert "TINHSO_DOCUMENT_SIGNING_KEY" in str(refused.value.message_dict["file"])


def test_a_broken_trust_root_file_does_not_stop_the_registry(configured, settings, tmp_path):
    from tinhso.documents.signing import sign

    signed = sign(make_pdf())
    (tmp_path / "broken.pem").write_bytes(b"not a certificate")
    settings.TINHSO_DOCUMENT_TRUST_ROOTS = [str(tmp_path / "broken.pem")]
    office = office_world()
    document = services.incoming_register(actor=office.clerk, unit=office.province,
                                          files=[_pdf("a.pdf", signed)], **incoming_fields())
    assert document.attachments.get().signature_state == "untrusted"
