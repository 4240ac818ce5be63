"""The audit events of index results and self-assessment (see tinhso.audit.events)."""

from django.utils.translation import gettext_lazy as _

from tinhso.audit.events import register_event

RESULTS_IMPORTED = register_event("results.imported", _("Published index results imported"))
ANSWER_SUBMITTED = register_event("answer.submitted", _("Self-assessment answer submitted"))
ANSWER_VERIFIED = register_event("answer.verified", _("Self-assessment answer verified"))
ANSWER_RETURNED = register_event("answer.returned", _("Self-assessment answer returned"))
FRAMEWORK_POINTS_SET = register_event("framework.points_set",
                                      _("Official points of an index framework entered"))
