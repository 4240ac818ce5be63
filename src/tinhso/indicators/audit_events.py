"""The audit events of indicators: values, evidence, targets, rounds (see tinhso.audit.events)."""

from django.utils.translation import gettext_lazy as _

from tinhso.audit.events import register_event

INDICATOR_CREATED = register_event("indicator.created", _("Indicator created"))
INDICATOR_UPDATED = register_event("indicator.updated", _("Indicator changed"))
VALUE_SAVED = register_event("value.saved", _("Value saved"))
VALUE_SUBMITTED = register_event("value.submitted", _("Value submitted"))
VALUE_APPROVED = register_event("value.approved", _("Value approved"))
VALUE_RETURNED = register_event("value.returned", _("Value returned"))
VALUE_REOPENED = register_event("value.reopened", _("Value reopened"))
VALUES_IMPORTED = register_event("values.imported", _("Values imported"))
EVIDENCE_ADDED = register_event("evidence.added", _("Evidence added"))
TARGET_SET = register_event("target.set", _("Target set"))
TARGET_UPDATED = register_event("target.updated", _("Target changed"))
TARGET_DELETED = register_event("target.deleted", _("Target deleted"))
ROUND_OPENED = register_event("round.opened", _("Collection round opened"))
ROUND_REMINDED = register_event("round.reminded", _("Reminders sent"))
VALUES_COMPUTED = register_event("values.computed", _("Computed values published"))
INDICATORS_DEFINED = register_event("indicators.defined", _("Indicator definitions loaded"))
