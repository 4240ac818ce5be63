"""Official documents as edXML packages, the national exchange format of QCVN 102:2016/BTTTT.

A package carries one document from an agency to others: the edXML envelope (namespace
``http://www.mic.gov.vn/TBT/QCVN_102_2016``, prefix ``edXML``) with its header and a manifest
of the attached files, and the files themselves. This module is the public face:
the document as frozen dataclasses (:mod:`~tinhso.documents.edxml_model`), ``build_package``
and ``build_status`` (:mod:`~tinhso.documents.edxml_build`), ``parse_package`` and
``parse_status`` (:mod:`~tinhso.documents.edxml_parse`, which refuses malicious XML, oversized
packages and zip bombs). Pure: no Django.

The envelope, as written::

    edXMLEnvelope
      edXMLHeader
        MessageHeader
          From (OrganId, OrganizationInCharge, OrganName, OrganAdd, Email, Telephone, Fax,
                Website)
          To ... (one per recipient, same children)
          Code (CodeNumber, CodeNotation)
          PromulgationInfo (Place, PromulgationDate)
          DocumentType (Type, TypeDetail, TypeName)
          Subject, Content
          SignerInfo (Competence, Position, FullName)
          DueDate
          ToPlaces (Place ...)
          OtherInfo (Priority, SphereOfPromulgation, TyperNotation, PromulgationAmount,
                     PageAmount, Appendixes/Appendix ...)
          ResponseFor ... (OrganId, Code, PromulgationDate, DocumentId)
          SteeringType
          DocumentId
        TraceHeaderList (TraceHeader: OrganId, Timestamp) ...
      edXMLBody
        edXMLManifest
          Reference xlink:href="cid:..." (Description, AttachmentName, ContentType, ContentId)

The container is a MIME ``multipart/related`` message, as SOAP with attachments: the envelope
is the first part (``Content-ID: <edxml>``, named by the ``start`` parameter), each attached
file a base64 part whose Content-ID the manifest's Reference names (``cid:``). The parser also
reads the single-XML form of the national axis' SDK (an ``edXML`` root holding the envelope and
an ``AttachmentEncoded`` list of base64 attachments), so packages from that software import.

A status message (acknowledgement of receipt, refusal, progress) is its own small envelope::

    edXMLEnvelope/edXMLHeader/Status
      ResponseFor (OrganId, Code, PromulgationDate, DocumentId), From (...),
      StatusCode, Description, Timestamp, StaffInfo (Department, Staff)

Dates are written ``YYYY/MM/DD`` and timestamps ``YYYY/MM/DD HH:MM:SS`` in Vietnam's time
(UTC+7, no daylight saving), as the public implementations of the standard do; the parser also
accepts ``DD/MM/YYYY`` (the two cannot be confused) and nothing else.

Where the text of the standard was not at hand, names follow the implementations connected to
the national document axis: the manifest element is ``edXMLManifest`` (``Manifest`` is read
too), the status block is ``Status`` (``StatusHeader`` is read too), and the status codes are
those of the axis (01 received ... 06 done); codes not named here pass through unchanged.
"""

from __future__ import annotations

from tinhso.documents.edxml_build import attachment_cid, build_envelope, build_package, build_status
from tinhso.documents.edxml_model import (
    NS,
    PREFIX,
    PRIORITY_IMMEDIATE,
    PRIORITY_IMMEDIATE_TIMED,
    PRIORITY_NORMAL,
    PRIORITY_URGENT,
    PRIORITY_VERY_URGENT,
    STATUS_ACCEPTED,
    STATUS_ASSIGNED,
    STATUS_CODES,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
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
    check_message,
)
from tinhso.documents.edxml_parse import parse_package, parse_status

__all__ = [
    "NS", "PREFIX", "PRIORITY_IMMEDIATE", "PRIORITY_IMMEDIATE_TIMED", "PRIORITY_NORMAL",
    "PRIORITY_URGENT", "PRIORITY_VERY_URGENT", "STATUS_ACCEPTED", "STATUS_ASSIGNED",
    "STATUS_CODES", "STATUS_DONE", "STATUS_IN_PROGRESS", "STATUS_RECEIVED", "STATUS_REFUSED",
    "VIETNAM", "Attachment", "Limits", "Message", "Organ", "PackageError", "ResponseFor",
    "Signer", "Status", "TraceHeader", "attachment_cid", "build_envelope", "build_package",
    "build_status", "check_message", "parse_package", "parse_status",
]
