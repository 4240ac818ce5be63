"""Uploaded files: the types accepted and the check every upload passes (evidence, dossier
documents, results)."""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

UPLOAD_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """Refuse a file that is not PDF, JPEG, PNG, .docx or .xlsx, or is over 10 MB, or whose
    content is not what its name says; returns (name, suffix)."""
    name = PurePath(upload.name or "").name
    suffix = PurePath(name).suffix.lower()
    if suffix not in UPLOAD_TYPES:
        raise ValidationError({"file": _("%(name)s: only PDF, JPEG, PNG, Word (.docx) or Excel "
                                         "(.xlsx) files are accepted.") % {"name": name}})
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("%(name)s is larger than 10 MB.") % {"name": name}})
    head = upload.read(8)
    upload.seek(0)
    signatures = {".pdf": [b"%PDF"], ".png": [b"\x89PNG"], ".jpg": [b"\xff\xd8\xff"],
                  ".jpeg": [b"\xff\xd8\xff"], ".docx": [b"PK\x03\x04"], ".xlsx": [b"PK\x03\x04"]}
    if not any(head.startswith(sig) for sig in signatures[suffix]):
        raise ValidationError({"file": _("%(name)s is not really a %(kind)s file.")
                               % {"name": name, "kind": suffix[1:].upper()}})
    return name, suffix
