"""``{% may_replace_report_templates as flag %}``: whether the signed-in user may replace the
Word templates of reports (the reports page links to ``/reports/templates/`` for them)."""

from __future__ import annotations

from typing import Any

from django import template

from tinhso.accounts.permissions import may
from tinhso.reports.permissions import MANAGE_TEMPLATES

register = template.Library()


@register.simple_tag(takes_context=True)
def may_replace_report_templates(context: dict[str, Any]) -> bool:
    request = context.get("request")
    return request is not None and may(request.user, MANAGE_TEMPLATES, None)
