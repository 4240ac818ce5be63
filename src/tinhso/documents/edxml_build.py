"""Writing edXML packages and status messages (see :mod:`tinhso.documents.edxml`). Pure."""

from __future__ import annotations

from email import encoders
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from typing import Any

from lxml import etree

from tinhso.documents.edxml_model import (
    ENVELOPE_CID,
    NS,
    PREFIX,
    XLINK,
    Message,
    Organ,
    PackageError,
    ResponseFor,
    Status,
    _,
    check_message,
    format_date,
    format_timestamp,
)


def _el(parent: Any, tag: str, text: str | None = None) -> Any:
    element = etree.SubElement(parent, f"{{{NS}}}{tag}")
    if text is not None:
        element.text = text
    return element


def _organ(parent: Any, tag: str, organ: Organ) -> None:
    element = _el(parent, tag)
    for name, value in (("OrganId", organ.organ_id), ("OrganizationInCharge", organ.in_charge),
                        ("OrganName", organ.name), ("OrganAdd", organ.address),
                        ("Email", organ.email), ("Telephone", organ.telephone),
                        ("Fax", organ.fax), ("Website", organ.website)):
        _el(element, name, value)


def _response_for(parent: Any, answered: ResponseFor) -> None:
    element = _el(parent, "ResponseFor")
    _el(element, "OrganId", answered.organ_id)
    _el(element, "Code", answered.code)
    _el(element, "PromulgationDate", format_date(answered.promulgation_date))
    _el(element, "DocumentId", answered.document_id)


def _other_info(parent: Any, message: Message) -> None:
    other = _el(parent, "OtherInfo")
    _el(other, "Priority", message.priority)
    _el(other, "SphereOfPromulgation", message.sphere_of_promulgation)
    _el(other, "TyperNotation", message.typer_notation)
    for tag, amount in (("PromulgationAmount", message.promulgation_amount),
                        ("PageAmount", message.page_amount)):
        _el(other, tag, "" if amount is None else str(amount))
    appendixes = _el(other, "Appendixes")
    for appendix in message.appendixes:
        _el(appendixes, "Appendix", appendix)


def _message_header(parent: Any, message: Message) -> None:
    header = _el(parent, "MessageHeader")
    _organ(header, "From", message.sender)
    for organ in message.recipients:
        _organ(header, "To", organ)
    code = _el(header, "Code")
    _el(code, "CodeNumber", message.code_number)
    _el(code, "CodeNotation", message.code_notation)
    promulgation = _el(header, "PromulgationInfo")
    _el(promulgation, "Place", message.place)
    _el(promulgation, "PromulgationDate", format_date(message.promulgation_date))
    kind = _el(header, "DocumentType")
    _el(kind, "Type", message.document_type)
    _el(kind, "TypeDetail", message.type_detail)
    _el(kind, "TypeName", message.type_name)
    _el(header, "Subject", message.subject)
    _el(header, "Content", message.content)
    signer = _el(header, "SignerInfo")
    _el(signer, "Competence", message.signer.competence)
    _el(signer, "Position", message.signer.position)
    _el(signer, "FullName", message.signer.full_name)
    if message.due_date is not None:
        _el(header, "DueDate", format_date(message.due_date))
    places = _el(header, "ToPlaces")
    for place in message.to_places:
        _el(places, "Place", place)
    _other_info(header, message)
    for answered in message.response_for:
        _response_for(header, answered)
    _el(header, "SteeringType", message.steering_type)
    _el(header, "DocumentId", message.document_id)


def attachment_cid(position: int) -> str:
    """The Content-ID of the package's attachment at ``position`` (from 1)."""
    return f"attachment{position}@edxml"


def _serialise(root: Any) -> bytes:
    try:
        return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    except ValueError as exc:  # a control character in a text: XML cannot carry it
        raise PackageError("package", _("holds a character XML cannot carry: %(error)s"),
                           error=str(exc)) from exc


def build_envelope(message: Message) -> bytes:
    """The edXML envelope of ``message`` alone (UTF-8 XML), its manifest naming each
    attachment by :func:`attachment_cid`."""
    check_message(message)
    envelope = etree.Element(f"{{{NS}}}edXMLEnvelope", nsmap={PREFIX: NS, "xlink": XLINK})
    header = _el(envelope, "edXMLHeader")
    _message_header(header, message)
    traces = _el(header, "TraceHeaderList")
    for trace in message.trace:
        element = _el(traces, "TraceHeader")
        _el(element, "OrganId", trace.organ_id)
        _el(element, "Timestamp", format_timestamp(trace.timestamp))
    manifest = _el(_el(envelope, "edXMLBody"), "edXMLManifest")
    for position, attachment in enumerate(message.attachments, start=1):
        cid = attachment_cid(position)
        reference = _el(manifest, "Reference")
        reference.set(f"{{{XLINK}}}href", f"cid:{cid}")
        reference.set(f"{{{XLINK}}}type", "simple")
        _el(reference, "Description", attachment.description)
        _el(reference, "AttachmentName", attachment.name)
        _el(reference, "ContentType", attachment.content_type)
        _el(reference, "ContentId", cid)
    return _serialise(envelope)


def _part(maintype: str, subtype: str, data: bytes, cid: str) -> MIMEBase:
    part = MIMEBase(maintype, subtype)
    part.set_payload(data)
    encoders.encode_base64(part)
    part["Content-ID"] = f"<{cid}>"
    return part


def build_package(message: Message) -> bytes:
    """The package of ``message``: MIME multipart/related, the envelope first, then each
    attachment base64-encoded. Raises PackageError when a required field is missing."""
    package = MIMEMultipart("related", type="text/xml", start=f"<{ENVELOPE_CID}>")
    envelope = _part("text", "xml", build_envelope(message), ENVELOPE_CID)
    envelope.set_param("charset", "utf-8")
    package.attach(envelope)
    for position, attachment in enumerate(message.attachments, start=1):
        maintype, _slash, subtype = attachment.content_type.partition("/")
        if not (maintype and subtype):
            maintype, subtype = "application", "octet-stream"
        part = _part(maintype, subtype, attachment.data, attachment_cid(position))
        part.add_header("Content-Disposition", "attachment",
                        filename=("utf-8", "", attachment.name))
        package.attach(part)
    return package.as_bytes()


def build_status(status: Status) -> bytes:
    """The status message (UTF-8 XML) answering a received document."""
    if not status.response_for.document_id.strip():
        raise PackageError("ResponseFor/DocumentId", _("is missing or empty"))
    if not status.sender.organ_id.strip():
        raise PackageError("From/OrganId", _("is missing or empty"))
    if not status.code.strip():
        raise PackageError("StatusCode", _("is missing or empty"))
    envelope = etree.Element(f"{{{NS}}}edXMLEnvelope", nsmap={PREFIX: NS})
    element = _el(_el(envelope, "edXMLHeader"), "Status")
    _response_for(element, status.response_for)
    _organ(element, "From", status.sender)
    _el(element, "StatusCode", status.code)
    _el(element, "Description", status.description)
    _el(element, "Timestamp", format_timestamp(status.timestamp))
    staff = _el(element, "StaffInfo")
    _el(staff, "Department", status.department)
    _el(staff, "Staff", status.staff)
    return _serialise(envelope)
