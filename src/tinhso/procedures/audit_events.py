"""The audit events of dossiers (see tinhso.audit.events)."""

from django.utils.translation import gettext_lazy as _

from tinhso.audit.events import register_event

DOSSIER_SUBMITTED = register_event("dossier.submitted", _("Dossier submitted online"))
DOSSIER_RECEIVED = register_event("dossier.received", _("Dossier received"))
DOSSIER_ASSIGNED = register_event("dossier.assigned", _("Dossier assigned"))
DOSSIER_SUPPLEMENT_REQUESTED = register_event("dossier.supplement", _("Supplement requested"))
DOSSIER_SUPPLEMENT_ANSWERED = register_event("dossier.answered", _("Supplement answered"))
DOSSIER_RESUMED = register_event("dossier.resumed", _("Dossier processing resumed"))
DOSSIER_APPROVED = register_event("dossier.approved", _("Dossier approved"))
DOSSIER_REFUSED = register_event("dossier.refused", _("Dossier refused"))
DOSSIER_RESULT_RETURNED = register_event("dossier.returned", _("Result returned"))
DOSSIER_WITHDRAWN = register_event("dossier.withdrawn", _("Dossier withdrawn"))
DOSSIER_APOLOGISED = register_event("dossier.apologised", _("Apology letter issued"))
DOSSIER_RATED = register_event("dossier.rated", _("Dossier rated"))
DOSSIER_COMPLAINED = register_event("dossier.complaint", _("Complaint sent"))
DOSSIER_PAID_ONLINE = register_event("dossier.paid_online", _("Fee paid online"))
DOSSIERS_IMPORTED = register_event("dossiers.imported", _("Dossiers imported"))
CATALOGUE_LOADED = register_event("catalogue.loaded", _("Procedure catalogue loaded"))
FEEDBACK_ANSWERED = register_event("feedback.answered", _("Feedback answered"))
FEEDBACK_RATED = register_event("feedback.rated", _("Feedback handling rated"))
PROCEDURE_CREATED = register_event("procedure.created", _("Procedure added to the catalogue"))
PROCEDURE_REVISED = register_event("procedure.revised", _("Procedure changed (new version)"))
PROCEDURE_RETIRED = register_event("procedure.retired", _("Procedure retired"))
CATALOGUE_IMPORTED = register_event("catalogue.imported",
                                    _("Procedure catalogue imported from the national database"))
