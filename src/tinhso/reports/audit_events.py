"""The audit events of reports (see tinhso.audit.events)."""

from django.utils.translation import gettext_lazy as _

from tinhso.audit.events import register_event

TEMPLATE_REPLACED = register_event("report_template.replaced", _("Report template replaced"))
TEMPLATE_RESTORED = register_event("report_template.restored",
                                   _("Report template restored to the default"))
REPORT_REQUESTED = register_event("report.requested", _("Report requested"))
