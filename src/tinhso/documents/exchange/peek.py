"""Who sent a package that cannot be read, so the refusal can be told to them: the sender's
OrganId and the DocumentId, Code and PromulgationDate of the document, found by element name in
the envelope (MIME or single XML) with whatever else is wrong ignored. Pure: no Django.

Nothing is trusted: the XML is read by defusedxml (no DTD, no entity), and a package larger than
the limit is not looked at."""

from __future__ import annotations

import email
import email.message
import re
from datetime import date
from typing import Any

from defusedxml.ElementTree import fromstring

from tinhso.documents.edxml import Limits, ResponseFor

_YMD = re.compile(r"(\d{4})[/-](\d{2})[/-](\d{2})")
_DMY = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _envelope(data: bytes) -> bytes:
    if data.lstrip().removeprefix(b"\xef\xbb\xbf")[:1] == b"<":
        return data
    package = email.message_from_bytes(data)
    parts = package.get_payload() if package.is_multipart() else []
    if not isinstance(parts, list) or not parts:
        return b""
    first = parts[0]
    body = first.get_payload(decode=True) if isinstance(first, email.message.Message) else b""
    return body if isinstance(body, bytes) else b""


def _find_below(element: Any, path: tuple[str, ...]) -> str:
    for child in element:
        if _local(child.tag) == path[0]:
            if len(path) == 1:
                return (child.text or "").strip()
            return _find_below(child, path[1:])
    return ""


def _date(raw: str, today: date) -> date:
    for pattern, order in ((_YMD, (1, 2, 3)), (_DMY, (3, 2, 1))):
        match = pattern.fullmatch(raw)
        if match:
            try:
                return date(*(int(match.group(i)) for i in order))
            except ValueError:
                return today
    return today


def origin(data: bytes, today: date, limits: Limits | None = None
           ) -> tuple[str, ResponseFor] | None:
    """(the sender's OrganId, the document as a ResponseFor names it), or None when the package
    does not say (then nobody can be told of the refusal)."""
    if len(data) > (limits or Limits()).max_package_bytes:
        return None
    try:
        root = fromstring(_envelope(data))
    except Exception:  # anything unreadable: nobody to tell
        return None
    header = next((e for e in root.iter() if _local(e.tag) == "MessageHeader"), None)
    if header is None:
        return None
    sender = _find_below(header, ("From", "OrganId"))
    document_id = _find_below(header, ("DocumentId",))
    if not sender or not document_id:
        return None
    number = _find_below(header, ("Code", "CodeNumber"))
    notation = _find_below(header, ("Code", "CodeNotation"))
    code = f"{number}/{notation}" if number and notation else number or notation
    issued = _date(_find_below(header, ("PromulgationInfo", "PromulgationDate")), today)
    return sender, ResponseFor(organ_id=sender, code=code, promulgation_date=issued,
                               document_id=document_id)
