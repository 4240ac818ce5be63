"""The audit events of the programme: documents, tasks, progress (see tinhso.audit.events)."""

from django.utils.translation import gettext_lazy as _

from tinhso.audit.events import register_event

DOCUMENT_CREATED = register_event("document.created", _("Programme document created"))
DOCUMENT_UPDATED = register_event("document.updated", _("Programme document changed"))
TASK_GROUP_SAVED = register_event("task_group.saved", _("Task group saved"))
TASK_CREATED = register_event("task.created", _("Task created"))
TASK_UPDATED = register_event("task.updated", _("Task changed"))
TASK_CANCELLED = register_event("task.cancelled", _("Task cancelled"))
TASK_CLOSED = register_event("task.closed", _("Task done"))
TASK_OVERDUE = register_event("task.overdue", _("Task turned overdue"))
TASKS_IMPORTED = register_event("tasks.imported", _("Tasks imported"))
PROGRESS_REPORTED = register_event("progress.reported", _("Progress reported"))
PROGRESS_ACCEPTED = register_event("progress.accepted", _("Progress report accepted"))
PROGRESS_RETURNED = register_event("progress.returned", _("Progress report returned"))
PROGRAMME_REMINDED = register_event("programme.reminded", _("Programme reminders sent"))
REPORTING_SCHEDULE_SET = register_event("schedule.set", _("Reporting schedule changed"))
