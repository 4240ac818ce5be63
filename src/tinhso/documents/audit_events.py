"""The audit events of the document office (see tinhso.audit.events)."""

from django.utils.translation import gettext_lazy as _

from tinhso.audit.events import register_event

DOCUMENT_REGISTERED = register_event("office.registered", _("Incoming document registered"))
DOCUMENT_DRAFTED = register_event("office.drafted", _("Outgoing document drafted"))
DOCUMENT_ISSUED = register_event("office.issued", _("Outgoing document numbered and issued"))
DOCUMENT_DIRECTED = register_event("office.directed", _("Document assigned for handling"))
DOCUMENT_COMMENTED = register_event("office.commented", _("Comment on a document"))
DOCUMENT_ANSWERED = register_event("office.answered", _("Document answered"))
DOCUMENT_CLOSED = register_event("office.closed", _("Document closed"))
DOCUMENT_SIGNED = register_event("office.signed",
                                 _("Document signed with the organisation's certificate"))
DOCUMENT_SENT = register_event("office.sent", _("Document sent to another agency"))
DOCUMENT_RECEIVED = register_event("office.received", _("Document received from another agency"))
DOCUMENT_REFUSED = register_event("office.refused", _("Package from another agency refused"))
DOCUMENT_READ = register_event("office.read", _("Confidential document read"))
DOCUMENT_REACH_FIXED = register_event("office.reach_fixed",
                                      _("Who may see documents mended from their records"))
