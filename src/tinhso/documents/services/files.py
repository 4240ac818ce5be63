"""A document's files: checked before anything is written (type, size, content), stored with
their SHA-256, and a PDF's signatures verified on arrival (``signing.verify``)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from tinhso.core.uploads import check_upload
from tinhso.documents.models import Attachment, Document


def check_files(files: Sequence[UploadedFile]) -> None:
    """Refuse the lot when one file is not acceptable (ValidationError naming it)."""
    for upload in files:
        check_upload(upload)


def verification(data: bytes, suffix: str) -> dict[str, Any]:
    """What the signature check found on a PDF, as stored data ({} for other files)."""
    if suffix != ".pdf":
        return {}
    from tinhso.documents.signing import verify  # local: pyHanko loads only when a PDF arrives

    return verify(data).as_data()


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
