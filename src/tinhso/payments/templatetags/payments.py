"""The payment's part of a dossier's page: ``{% payment_panel dossier %}`` on the applicant's
page, ``{% payment_panel dossier "desk" %}`` on the desk's."""

from __future__ import annotations

from typing import Any

from django import template

from tinhso.payments.selectors import payment_panel as panel_of

register = template.Library()


@register.inclusion_tag("payments/_panel.html", takes_context=True)
def payment_panel(context: Any, dossier: Any, side: str = "applicant") -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {**panel_of(dossier, user), "side": side, "request": request,
            "csrf_token": context.get("csrf_token")}
