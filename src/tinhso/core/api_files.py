"""Files sent through the API: base64 in JSON, decoded into an upload the services check."""

from __future__ import annotations

import base64
import binascii

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext as _
from ninja import Field, Schema

from tinhso.core.uploads import UPLOAD_TYPES


class DocumentIn(Schema):
    name: str = Field(description="The file's name with its extension: .pdf, .jpg, .jpeg, "
                                  ".png, .docx or .xlsx", examples=["to-khai.pdf"])
    content_base64: str = Field(description="The file's content, base64-encoded (at most 10 MB "
                                            "decoded)")


def decode(field: str, document: DocumentIn, errors: dict[str, list[str]]
           ) -> UploadedFile | None:
    """The upload; None with an error under ``field``.content_base64 when it is not base64
    (a data: URL is accepted)."""
    content = document.content_base64.strip()
    if content.startswith("data:") and "," in content:
        content = content.split(",", 1)[1]
    try:
        raw = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        errors[f"{field}.content_base64"] = [_("This is not valid base64.")]
        return None
    name = document.name.strip().replace("/", "_").replace("\\", "_")
    if not name.strip(" ._\t"):
        errors[f"{field}.name"] = [_("Give the file's name with its extension, such as "
                                     "to-khai.pdf.")]
        return None
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return SimpleUploadedFile(name, raw, UPLOAD_TYPES.get(suffix, "application/octet-stream"))
