"""The programme: documents, task groups and tasks, written directly (no service, no event)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tinhso.programme.models import Document, Task, TaskGroup
from tinhso.units.models import Unit


def programme_document(unit: Unit, number: str = "10633/KH-UBND", **kwargs: Any) -> Document:
    values = {"kind": "plan", "title": "Kế hoạch chuyển đổi số (thử)", "issuer": "UBND tỉnh",
              "issued_on": date(2020, 10, 7), "unit": unit, **kwargs}
    return Document.objects.create(number=number, **values)


def task_group(document: Document, code: str = "1", **kwargs: Any) -> TaskGroup:
    values = {"title": f"Nhóm {code}", **kwargs}
    return TaskGroup.objects.create(document=document, code=code, **values)


def programme_task(group: TaskGroup, lead_unit: Unit, code: str = "1", **kwargs: Any) -> Task:
    """A task written directly (no service, no event): for tests that need many quickly."""
    support = kwargs.pop("support_units", [])
    values = {"title": f"Nhiệm vụ {code}", "start_on": date(2026, 1, 1),
              "due_on": date(2026, 12, 31), **kwargs}
    task = Task.objects.create(group=group, code=code, lead_unit=lead_unit, **values)
    if support:
        task.support_units.set(support)
    return task
