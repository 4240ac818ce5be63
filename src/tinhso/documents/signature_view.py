"""A file's signature check as its page shows it: the state as a coloured badge (an altered or
unreadable file red, never shown as valid) and each signature's signer and time, read from the
stored check (``Attachment.signature``: ``{"state": ..., "signatures": [...]}``; empty when the
file was not checked: nothing is shown)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# state -> (text, colour class); the same words as documents.signing's labels
STATES: dict[str, tuple[Any, str]] = {
    "valid": (_("Signature valid"), "status status-achieved"),
    "untrusted": (_("Signature intact, signer not trusted"), "status status-at_risk"),
    "altered": (_("Altered after signing"), "status status-off_track"),
    "unreadable": (_("Unreadable file"), "status status-off_track"),
    "unsigned": (_("Not signed"), "status status-unknown"),
}
UNKNOWN = (_("Signature not checked"), "status status-off_track")


@dataclass(frozen=True)
class SignerView:
    name: str
    organisation: str
    signed_at: datetime | None
    state: str
    label: str
    css: str


@dataclass
class FileView:
    attachment: Any
    state: str = ""
    label: str = ""
    css: str = ""
    signers: list[SignerView] = field(default_factory=list)


def badge(state: str) -> tuple[str, str]:
    """(text, colour class) of a state; a state this page does not know is red, never green."""
    text, css = STATES.get(state, UNKNOWN)
    return str(text), css


def _moment(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
    if moment is not None and timezone.is_aware(moment):
        return timezone.localtime(moment)
    return moment


def file_view(attachment: Any) -> FileView:
    """The file with what its signature check found (no badge when it was not checked)."""
    data = attachment.signature if isinstance(attachment.signature, dict) else {}
    state = str(data.get("state") or attachment.signature_state or "")
    view = FileView(attachment)
    if not state:
        return view
    view.state = state
    view.label, view.css = badge(state)
    for item in data.get("signatures") or []:
        if not isinstance(item, dict):
            continue
        sub = str(item.get("state") or "")
        text, css = badge(sub)
        view.signers.append(SignerView(
            name=str(item.get("signer") or ""), organisation=str(item.get("organisation") or ""),
            signed_at=_moment(item.get("signed_at")), state=sub, label=text, css=css))
    return view
