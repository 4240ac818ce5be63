"""Reading edXML packages and status messages from other agencies (see
:mod:`tinhso.documents.edxml` for the format). Pure.

Nothing from outside is trusted: the XML is parsed by defusedxml with any DTD refused (so no
entity is ever expanded, no external entity fetched); the package's size, its number of
attachments and each attachment's size are checked before anything is decoded; an attachment
that is a zip container (.zip, .docx, .xlsx, .odt...; or any file starting with the zip
signature) is refused as a zip bomb when its central directory declares more than the limit
uncompressed or a ratio beyond the limit, read from the directory without decompressing
anything. Each refusal is a PackageError naming the element or attachment at fault.
"""

from __future__ import annotations

import base64
import binascii
import email
import io
import re
import zipfile
from datetime import date, datetime
from email.message import Message as MimePart
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from tinhso.documents.edxml_model import (
    ENVELOPE_CID,
    NS,
    VIETNAM,
    XLINK,
    Attachment,
    Limits,
    Message,
    Organ,
    PackageError,
    ResponseFor,
    Signer,
    Status,
    TraceHeader,
    _,
    check_message,
)

ZIP_SUFFIXES = (".zip", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp")
ZIP_SIGNATURE = b"PK\x03\x04"
MAX_STATUS_BYTES = 1024 * 1024
_YMD = re.compile(r"(\d{4})([/-])(\d{2})\2(\d{2})")
_DMY = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
_TIME = re.compile(r"(\d{2}):(\d{2}):(\d{2})")

Element = Any  # an ElementTree element


# --- XML ----------------------------------------------------------------------------------------


def _xml(data: bytes, field: str) -> Element:
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise PackageError(field, _("declares a DTD or entities, refused for safety (%(kind)s)"),
                           kind=type(exc).__name__) from exc
    except (ParseError, ValueError) as exc:
        raise PackageError(field, _("is not well-formed XML: %(error)s"), error=str(exc)) from exc


def _q(path: str) -> str:
    return "/".join(f"{{{NS}}}{step}" for step in path.split("/"))


def _text(element: Element, path: str) -> str:
    found = element.find(_q(path))
    return (found.text or "").strip() if found is not None else ""


def _prose(element: Element, path: str) -> str:
    """A text as written (the subject, the content: exactly what the sender typed)."""
    found = element.find(_q(path))
    return (found.text or "") if found is not None else ""


def _required(element: Element, path: str, field: str | None = None) -> str:
    value = _text(element, path)
    if not value:
        raise PackageError(field or path, _("is missing or empty"))
    return value


def _date(raw: str, field: str) -> date:
    ymd, dmy = _YMD.fullmatch(raw), _DMY.fullmatch(raw)
    try:
        if ymd:
            return date(int(ymd[1]), int(ymd[3]), int(ymd[4]))
        if dmy:
            return date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
    except ValueError as exc:
        raise PackageError(field, _("is not a date of the calendar: %(value)s"),
                           value=raw) from exc
    raise PackageError(field, _("is not a date in the form YYYY/MM/DD: %(value)s"),
                       value=raw[:40])


def _timestamp(raw: str, field: str) -> datetime:
    day, _space, clock = raw.partition(" ")
    moment = _TIME.fullmatch(clock)
    if not moment:
        raise PackageError(field, _("is not a time in the form YYYY/MM/DD HH:MM:SS: %(value)s"),
                           value=raw[:40])
    when = _date(day, field)
    try:
        return datetime(when.year, when.month, when.day, int(moment[1]), int(moment[2]),
                        int(moment[3]), tzinfo=VIETNAM)
    except ValueError as exc:
        raise PackageError(field, _("is not a time of the day: %(value)s"), value=raw) from exc


def _amount(element: Element, path: str) -> int | None:
    raw = _text(element, path)
    if not raw:
        return None
    if not raw.isdigit():
        raise PackageError(path, _("is not a whole number: %(value)s"), value=raw[:40])
    return int(raw)


def _organ(element: Element, field: str) -> Organ:
    return Organ(organ_id=_required(element, "OrganId", f"{field}/OrganId"),
                 name=_text(element, "OrganName"), in_charge=_text(element, "OrganizationInCharge"),
                 address=_text(element, "OrganAdd"), email=_text(element, "Email"),
                 telephone=_text(element, "Telephone"), fax=_text(element, "Fax"),
                 website=_text(element, "Website"))


def _response_for(element: Element, field: str) -> ResponseFor:
    return ResponseFor(
        organ_id=_text(element, "OrganId"), code=_text(element, "Code"),
        promulgation_date=_date(_required(element, "PromulgationDate",
                                          f"{field}/PromulgationDate"),
                                f"{field}/PromulgationDate"),
        document_id=_required(element, "DocumentId", f"{field}/DocumentId"))


# --- the container ------------------------------------------------------------------------------


def _split_mime(data: bytes, limits: Limits) -> tuple[bytes, dict[str, MimePart]]:
    """(the envelope's bytes, the other parts by Content-ID)."""
    package = email.message_from_bytes(data)
    if not package.is_multipart():
        raise PackageError("package", _("is neither a MIME multipart package nor edXML"))
    parts = package.get_payload()
    assert isinstance(parts, list)
    if not parts:
        raise PackageError("package", _("holds no envelope"))
    if len(parts) - 1 > limits.max_attachments:
        raise PackageError("package", _("holds %(count)d attachments, more than %(limit)d"),
                           count=len(parts) - 1, limit=limits.max_attachments)
    start = (package.get_param("start") or f"<{ENVELOPE_CID}>")
    start = str(start).strip().strip("<>")
    by_cid: dict[str, MimePart] = {}
    for position, part in enumerate(parts, start=1):
        if part.is_multipart():
            raise PackageError(f"package part {position}", _("is nested, which edXML is not"))
        cid = str(part.get("Content-ID", "")).strip().strip("<>") or f"part{position}"
        if cid in by_cid:
            raise PackageError(f"package part {position}",
                               _("repeats the Content-ID %(cid)s"), cid=cid[:80])
        by_cid[cid] = part
    envelope = by_cid.pop(start if start in by_cid else next(iter(by_cid)))
    body = envelope.get_payload(decode=True)
    return (body if isinstance(body, bytes) else b""), by_cid


def _decode(part: MimePart | str, field: str, limits: Limits) -> bytes:
    """An attachment's bytes, refused before decoding when its encoded size says it is too
    large. ``part``: a MIME part, or base64 text (the single-XML form)."""
    if isinstance(part, str) or str(part.get("Content-Transfer-Encoding", "")).lower() == \
            "base64":
        raw = part if isinstance(part, str) else str(part.get_payload())
        encoded = "".join(raw.split())
        if len(encoded) // 4 * 3 > limits.max_attachment_bytes + 2:
            raise PackageError(field, _("is larger than %(limit)d MB"),
                               limit=limits.max_attachment_bytes // (1024 * 1024))
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise PackageError(field, _("is not valid base64")) from exc
    else:
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
    if len(data) > limits.max_attachment_bytes:
        raise PackageError(field, _("is larger than %(limit)d MB"),
                           limit=limits.max_attachment_bytes // (1024 * 1024))
    return data


def check_zip(name: str, data: bytes, field: str, limits: Limits) -> None:
    """Refuse a zip container whose directory declares too much, without decompressing."""
    if not (name.lower().endswith(ZIP_SUFFIXES) or data.startswith(ZIP_SIGNATURE)):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise PackageError(field, _("is a zip container that cannot be read")) from exc
    if declared > limits.max_zip_uncompressed_bytes:
        raise PackageError(field, _("declares %(size)d MB uncompressed, more than %(limit)d MB "
                                    "(a zip bomb?)"), size=declared // (1024 * 1024),
                           limit=limits.max_zip_uncompressed_bytes // (1024 * 1024))
    if declared / max(len(data), 1) > limits.max_zip_ratio:
        raise PackageError(field, _("is compressed %(ratio)d times, more than %(limit)d "
                                    "(a zip bomb?)"), ratio=declared // max(len(data), 1),
                           limit=int(limits.max_zip_ratio))


def _single_xml(root: Element) -> tuple[Element, dict[str, str]]:
    """The envelope and the base64 attachments by ContentId of the SDK's single-XML form."""
    envelope = root.find(_q("edXMLEnvelope"))
    if envelope is None:
        raise PackageError("edXMLEnvelope", _("is missing"))
    encoded: dict[str, str] = {}
    for item in root.findall(_q("AttachmentEncoded/Attachment")):
        cid = _text(item, "ContentId").removeprefix("cid:").strip("<>")
        encoded[cid] = _text(item, "ContentTransferEncoded")
    return envelope, encoded


# --- the message --------------------------------------------------------------------------------


def _attachments(envelope: Element, parts: dict[str, Any], limits: Limits
                 ) -> tuple[Attachment, ...]:
    manifest = envelope.find(_q("edXMLBody/edXMLManifest"))
    if manifest is None:
        manifest = envelope.find(_q("edXMLBody/Manifest"))
    references = [] if manifest is None else manifest.findall(_q("Reference"))
    if len(references) > limits.max_attachments:
        raise PackageError("Manifest", _("lists %(count)d attachments, more than %(limit)d"),
                           count=len(references), limit=limits.max_attachments)
    found = []
    for position, reference in enumerate(references, start=1):
        field = f"Manifest/Reference[{position}]"
        name = _required(reference, "AttachmentName", f"{field}/AttachmentName")
        href = reference.get(f"{{{XLINK}}}href") or _text(reference, "ContentId")
        cid = href.removeprefix("cid:").strip("<>")
        if cid not in parts:
            raise PackageError(field, _("names attachment %(cid)s, which the package lacks"),
                               cid=cid[:80])
        data = _decode(parts.pop(cid), f"{field} ({name})", limits)
        check_zip(name, data, f"{field} ({name})", limits)
        found.append(Attachment(name=name, data=data, description=_text(reference, "Description"),
                                content_type=_text(reference, "ContentType")
                                or "application/octet-stream"))
    if parts:
        raise PackageError("Manifest", _("does not list attachment %(cid)s of the package"),
                           cid=next(iter(parts))[:80])
    return tuple(found)


def _message(header: Element) -> dict[str, Any]:
    recipients = tuple(_organ(element, f"To[{position}]") for position, element
                       in enumerate(header.findall(_q("To")), start=1))
    if not recipients:
        raise PackageError("To", _("names no recipient"))
    due = _text(header, "DueDate")
    return dict(
        recipients=recipients,
        code_number=_required(header, "Code/CodeNumber"),
        code_notation=_required(header, "Code/CodeNotation"),
        place=_text(header, "PromulgationInfo/Place"),
        promulgation_date=_date(_required(header, "PromulgationInfo/PromulgationDate"),
                                "PromulgationInfo/PromulgationDate"),
        document_type=_required(header, "DocumentType/Type"),
        type_detail=_text(header, "DocumentType/TypeDetail"),
        type_name=_text(header, "DocumentType/TypeName"),
        subject=_required(header, "Subject") and _prose(header, "Subject"),
        content=_prose(header, "Content"),
        signer=Signer(full_name=_text(header, "SignerInfo/FullName"),
                      position=_text(header, "SignerInfo/Position"),
                      competence=_text(header, "SignerInfo/Competence")),
        due_date=_date(due, "DueDate") if due else None,
        to_places=tuple((e.text or "").strip() for e in header.findall(_q("ToPlaces/Place"))),
        priority=_text(header, "OtherInfo/Priority"),
        sphere_of_promulgation=_text(header, "OtherInfo/SphereOfPromulgation"),
        typer_notation=_text(header, "OtherInfo/TyperNotation"),
        promulgation_amount=_amount(header, "OtherInfo/PromulgationAmount"),
        page_amount=_amount(header, "OtherInfo/PageAmount"),
        appendixes=tuple((e.text or "").strip()
                         for e in header.findall(_q("OtherInfo/Appendixes/Appendix"))),
        response_for=tuple(_response_for(e, f"ResponseFor[{position}]") for position, e
                           in enumerate(header.findall(_q("ResponseFor")), start=1)),
        steering_type=_text(header, "SteeringType"),
        document_id=_required(header, "DocumentId"))


def parse_package(data: bytes, limits: Limits | None = None) -> Message:
    """The message a package carries (MIME multipart, or the SDK's single XML) within
    ``limits`` (the defaults of :class:`Limits`); PackageError names what is missing or
    wrong."""
    limits = limits or Limits()
    if len(data) > limits.max_package_bytes:
        raise PackageError("package", _("is larger than %(limit)d MB"),
                           limit=limits.max_package_bytes // (1024 * 1024))
    parts: dict[str, Any]
    if data.lstrip().removeprefix(b"\xef\xbb\xbf")[:1] == b"<":  # XML, with or without BOM
        root = _xml(data, "edXML")
        envelope, parts = (root, {}) if root.tag == _q("edXMLEnvelope") else _single_xml(root)
    else:
        xml, parts = _split_mime(data, limits)
        envelope = _xml(xml, "edXMLEnvelope")
    if envelope.tag != _q("edXMLEnvelope"):
        raise PackageError("edXMLEnvelope", _("is missing (the root is %(tag)s)"),
                           tag=str(envelope.tag)[:80])
    header = envelope.find(_q("edXMLHeader/MessageHeader"))
    if header is None:
        raise PackageError("MessageHeader", _("is missing"))
    sender_element = header.find(_q("From"))
    if sender_element is None:
        raise PackageError("From/OrganId", _("is missing or empty"))
    sender = _organ(sender_element, "From")
    fields = _message(header)
    trace = tuple(TraceHeader(organ_id=_text(e, "OrganId"),
                              timestamp=_timestamp(_required(e, "Timestamp",
                                                             "TraceHeader/Timestamp"),
                                                   "TraceHeader/Timestamp"))
                  for e in envelope.findall(_q("edXMLHeader/TraceHeaderList/TraceHeader")))
    message = Message(sender=sender, trace=trace, attachments=_attachments(envelope, parts, limits),
                      **fields)
    check_message(message)
    return message


def parse_status(data: bytes) -> Status:
    """The status a status message carries; PackageError names what is missing or wrong."""
    if len(data) > MAX_STATUS_BYTES:
        raise PackageError("Status", _("is larger than %(limit)d MB"), limit=1)
    envelope = _xml(data, "Status")
    element = envelope.find(_q("edXMLHeader/Status"))
    if element is None:
        element = envelope.find(_q("edXMLHeader/StatusHeader"))
    if envelope.tag != _q("edXMLEnvelope") or element is None:
        raise PackageError("Status", _("is missing"))
    answered, sender = element.find(_q("ResponseFor")), element.find(_q("From"))
    if answered is None:
        raise PackageError("ResponseFor/DocumentId", _("is missing or empty"))
    if sender is None:
        raise PackageError("From/OrganId", _("is missing or empty"))
    return Status(response_for=_response_for(answered, "ResponseFor"),
                  sender=_organ(sender, "From"), code=_required(element, "StatusCode"),
                  description=_prose(element, "Description"),
                  timestamp=_timestamp(_required(element, "Timestamp"), "Timestamp"),
                  staff=_text(element, "StaffInfo/Staff"),
                  department=_text(element, "StaffInfo/Department"))
