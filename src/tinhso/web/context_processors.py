from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tinhso.accounts.permissions import may_somewhere

# The areas of the platform; later issues fill those marked "planned".
AREAS = [
    ("programme", _("Programme"), "web:area"),
    ("reports", _("Reports"), "web:area"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    items: list[dict[str, Any]] = [
        {"key": key, "label": label, "url": reverse(url, args=[key])} for key, label, url in AREAS
    ]
    items.insert(0, {"key": "services", "label": _("Public services"),
                     "url": reverse("procedures:catalogue")})
    items.insert(2, {"key": "indicators", "label": _("Indicators"),
                     "url": reverse("indicators:catalogue")})
    items.insert(3, {"key": "rankings", "label": _("Rankings"),
                     "url": reverse("scoring:index")})
    items.append({"key": "units", "label": _("Units"), "url": reverse("units:tree")})
    user = getattr(request, "user", None)
    if getattr(user, "kind", None) in ("citizen", "business"):
        items.insert(1, {"key": "mine", "label": _("My dossiers"), "url": reverse("dossiers:mine")})
    items.insert(1, {"key": "lookup", "label": _("Look up a dossier"),
                     "url": reverse("dossiers:lookup")})
    for action, key, label, url in (
        ("dossiers.view", "desk", _("One-stop desk"), "desk:queue"),
        ("indicators.enter", "to_report", _("To report"), "indicators:to_report"),
        ("indicators.approve", "review", _("Review values"), "indicators:review"),
        ("indicators.define", "rounds", _("Collection rounds"), "indicators:rounds"),
    ):
        if may_somewhere(user, action):
            items.append({"key": key, "label": label, "url": reverse(url)})
    if may_somewhere(user, "users.manage"):
        items.append({"key": "staff", "label": _("Staff"), "url": reverse("staff:list")})
    if may_somewhere(user, "audit.view"):
        items.append({"key": "audit", "label": _("Audit log"), "url": reverse("audit:list")})
    for item in items:
        item["active"] = request.path.startswith(str(item["url"]))
    return {"nav_items": items}
