"""A document's files: checked before anything is written (type, size, content), stored with
their SHA-256, and a PDF's signatures verified on arrival (``signing.verify``)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import require
from tinhso.audit.services import audit_record
from tinhso.core.uploads import check_upload
from tinhso.documents import audit_events
from tinhso.documents.models import Attachment, Direction, Document, Status, StepKind
from tinhso.documents.services.base import step

logger = logging.getLogger(__name__)


def check_files(files: Sequence[UploadedFile]) -> None:
    """Refuse the lot when one file is not acceptable (ValidationError naming it)."""
    for upload in files:
        check_upload(upload)


def verification(data: bytes, suffix: str) -> dict[str, Any]:
    """What the signature check found on a PDF, as stored data ({} for other files)."""
    if suffix != ".pdf":
        return {}
    from tinhso.documents.signatures import TrustRootError, verify_pdf  # local: pyHanko on use
    from tinhso.documents.signing import verify  # local: as above

    try:
        return verify(data).as_data()
    except TrustRootError:
        # A root file the operator broke must not stop the registry: checked against no
        # root, an intact signature is "untrusted", an altered one "altered", never valid.
        logger.exception("the trust roots cannot be read; signatures checked without them")
        return verify_pdf(data, []).as_data()


def attach(document: Document, name: str, data: bytes, content_type: str = "",
           *, signed_here: bool = False) -> Attachment:
    """Store one file of ``document`` with its digest and signature check."""
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    checked = verification(data, suffix)
    attachment = Attachment(document=document, name=name[:255], content_type=content_type[:100],
                            size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                            signature=checked, signature_state=checked.get("state", ""),
                            signed_here=signed_here)
    attachment.file.save(name, ContentFile(data), save=False)
    attachment.save()
    return attachment


def attach_uploads(document: Document, files: Sequence[UploadedFile]) -> list[Attachment]:
    stored = []
    for upload in files:
        name, _suffix = check_upload(upload)
        upload.seek(0)
        stored.append(attach(document, name, upload.read(), upload.content_type or ""))
    return stored


@transaction.atomic
def attachment_sign(*, actor: Any, attachment: Attachment) -> Attachment:
    """The clerk affixes the organisation's digital signature (Decree 30/2020, Article 15) to a
    PDF of an outgoing document not yet sent: a new file, signed with the installation's
    organisation certificate, kept beside the original and checked like any arriving file."""
    attachment = Attachment.objects.select_related("document__unit").get(pk=attachment.pk)
    document = attachment.document
    require(actor, "documents.register", document.unit)
    if document.direction != Direction.OUTGOING or document.status == Status.SENT:
        raise ValidationError({"file": [_("Only the files of an outgoing document not yet "
                                          "sent are signed.")]})
    if not attachment.name.lower().endswith(".pdf"):
        raise ValidationError({"file": [_("%(name)s: only a PDF is signed.")
                                        % {"name": attachment.name}]})
    from tinhso.documents.signing import SigningNotConfigured, sign  # local: pyHanko on use

    with attachment.file.open("rb") as handle:
        data = handle.read()
    try:
        signed = sign(data, reason=_("Issued by %(unit)s") % {"unit": document.unit.name},
                      location=document.place or document.unit.name)
    except SigningNotConfigured as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    stem = attachment.name[:-4]
    made = attach(document, f"{stem}.signed.pdf", signed, "application/pdf", signed_here=True)
    step(document, StepKind.SIGNED, actor, made.name, attachment=made.pk)
    audit_record(actor=actor, action=audit_events.DOCUMENT_SIGNED, obj=document,
                 unit=document.unit, details={"file": made.name, "sha256": made.sha256,
                                              "state": made.signature_state})
    return made
