"""What every programme service shares: the actor as a user, the task's history, checked
numbers and symbols, reasons and weights."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tinhso.programme.models import (
    ProgressReport,
    Task,
    TaskEvent,
)
from tinhso.programme.notation import parse_notation


def actor_user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def task_event(task: Task, kind: str, actor: Any, note: str = "",
           report: ProgressReport | None = None, **details: Any) -> TaskEvent:
    return TaskEvent.objects.create(task=task, kind=kind, actor=actor_user(actor),
                                    actor_label=str(getattr(actor, "username", actor or "")),
                                    report=report, note=note, details=details)


def checked_notation(raw: str, field: str) -> str:
    text = " ".join((raw or "").split())
    try:
        parse_notation(text)
    except ValueError as exc:
        raise ValidationError({field: str(exc)}) from exc
    return text


def required_reason(reason: str, field: str) -> str:
    if not reason or not reason.strip():
        raise ValidationError({field: _("Give the reason.")})
    return reason.strip()



def weight_value(raw: Any, field: str = "weight") -> Decimal:
    try:
        value = Decimal(str(raw).replace(",", ".")) if raw not in (None, "") else Decimal(1)
    except InvalidOperation as exc:
        raise ValidationError({field: _("'%s' is not a number.") % raw}) from exc
    if value < 0 or value >= 10**6:
        raise ValidationError({field: _("A weight is a number from 0 up.")})
    return value


