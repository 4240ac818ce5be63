from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern

from tinhso.programme.models import Task

urlpatterns: list[URLPattern] = []


def task_actions_context(request: HttpRequest, task: Task) -> dict[str, Any]:
    """Context for ``programme/_task_actions.html`` on the task page (filled by the work views)."""
    return {}
