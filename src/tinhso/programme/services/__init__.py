"""Writes of the programme: documents, groups, tasks, progress reports and their review.

Each write is one transaction that checks the actor's role on the unit concerned, writes the
task's history (``TaskEvent``) and the audit event together, and refuses bad input with a
``ValidationError`` naming the field.
"""

from tinhso.programme.services.assigned import task_assign, task_close_cited
from tinhso.programme.services.base import weight_value
from tinhso.programme.services.documents import document_create, document_update, group_save
from tinhso.programme.services.reports import (
    check_period,
    report_accept,
    report_return,
    report_submit,
    reporting_schedule_set,
)
from tinhso.programme.services.tasks import (
    check_task_fields,
    close_with_output,
    task_cancel,
    task_create,
    task_update,
)

__all__ = [
    "check_period", "check_task_fields", "close_with_output", "document_create",
    "document_update", "group_save", "report_accept", "report_return", "report_submit",
    "reporting_schedule_set", "task_assign", "task_cancel", "task_close_cited", "task_create",
    "task_update", "weight_value",
]
