"""Writes of the document office: registering, numbering, directing, handling, answering.

Each write is one transaction that checks the actor's role on the unit concerned, keeps the
step in the document's history and records the audit event with it; bad input is refused with
a ``ValidationError`` naming the field, before anything is written.
"""

from tinhso.documents.services.files import attachment_sign
from tinhso.documents.services.handling import (
    deadline,
    document_close,
    document_comment,
    document_direct,
    document_task_close,
)
from tinhso.documents.services.office import (
    duplicate_of,
    incoming_register,
    outgoing_draft,
    outgoing_issue,
)

__all__ = ["attachment_sign", "deadline", "document_close", "document_comment", "document_direct",
           "document_task_close", "duplicate_of", "incoming_register", "outgoing_draft",
           "outgoing_issue"]
