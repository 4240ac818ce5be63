"""What the document office's writes share: checks of the metadata, the handling step, the
search text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhso.documents import rules
from tinhso.documents.access import reach_of
from tinhso.documents.models import Document, Priority, Step
from tinhso.documents.publication import document_changed

REQUIRED = {
    "issuer_code": gettext_lazy("Give the issuing organisation's code."),
    "issuer_name": gettext_lazy("Give the issuing organisation."),
    "kind": gettext_lazy("Give the document's type."),
    "subject": gettext_lazy("Give the subject of the document."),
}


def check_metadata(fields: dict[str, Any], *, today: date, incoming: bool) -> dict[str, list]:
    """Errors per field of a document's metadata (Decree 30/2020 Appendix VI)."""
    errors: dict[str, list] = {}
    for name, message in REQUIRED.items():
        if not str(fields.get(name) or "").strip():
            errors[name] = [str(message)]
    issued_on = fields.get("issued_on")
    if incoming and issued_on is None:
        errors["issued_on"] = [_("Give the date the document was issued.")]
    if issued_on is not None and issued_on > today:
        errors["issued_on"] = [_("The document cannot be issued after today (%(today)s).")
                               % {"today": f"{today:%d/%m/%Y}"}]
    if incoming and not fields.get("number"):
        errors["number"] = [_("Give the document's number (the 15 of 15/BC-UBND).")]
    if str(fields.get("priority") or Priority.NORMAL) not in Priority.values:
        errors["priority"] = [_("Choose the urgency.")]
    due_on = fields.get("due_on")
    if due_on is not None and issued_on is not None and due_on < issued_on:
        errors["due_on"] = [_("The answer cannot be due before the document was issued.")]
    pages = fields.get("page_count")
    if pages is not None and int(pages) <= 0:
        errors["page_count"] = [_("Give a number of pages above zero.")]
    return errors


def raise_if(errors: dict[str, list]) -> None:
    if errors:
        raise ValidationError(errors)


def refresh_search(document: Document) -> None:
    document.search_text = rules.search_text(
        document.code, document.notation, document.subject, document.issuer_name,
        document.issuer_code, document.kind, document.signer_name)


# What else must happen, in the same transaction, when a step of a document is kept: the
# exchange's status messages to the sender of a received document (``documents.exchange``).
StepListener = Callable[[Step], None]
STEP_LISTENERS: list[StepListener] = []


def listen_to_steps(listener: StepListener) -> None:
    """Call ``listener(step)`` for each step kept from now on (once however often it is
    registered)."""
    if listener not in STEP_LISTENERS:
        STEP_LISTENERS.append(listener)


def reach_refresh(document: Document) -> None:
    """Store who may see ``document`` now (``access.reach_of``), after its addressees, handling
    slip or named readers were written; ``step`` calls it, so every write that keeps a step
    keeps the reach."""
    document.reach = reach_of(document)
    Document.objects.filter(pk=document.pk).update(reach=document.reach)


def step(document: Document, kind: str, actor: Any, text: str = "", *,
         at: datetime | None = None, **details: Any) -> Step:
    """Keep a step of the document's handling (at ``at``, the action's own time; now when
    None), refresh who may see it, publish the document's figures and tell the listeners."""
    reach_refresh(document)
    user = actor if getattr(actor, "pk", None) else None
    label = (actor.get_full_name() or actor.username) if user is not None else str(actor or "")
    made = Step.objects.create(document=document, kind=kind, actor=user, actor_label=label[:200],
                               unit=getattr(actor, "unit", None), text=text, details=details,
                               at=at or timezone.now())
    document_changed(document)
    for listener in STEP_LISTENERS:
        listener(made)
    return made
