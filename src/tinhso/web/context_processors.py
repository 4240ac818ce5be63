from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tinhso.accounts.permissions import may_somewhere
from tinhso.calendars.selectors import may_read_calendar
from tinhso.programme.selectors import may_read_programme, review_queue

# The areas of the platform not built yet (a placeholder page each). None now.
AREAS: list[tuple[str, Any, str]] = []


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items: list[dict[str, Any]] = [
        {"key": "services", "label": _("Public services"), "url": reverse("procedures:catalogue")},
    ]
    # The programme is the staff's: shown to them, and to visitors (who may log in as staff).
    if not getattr(user, "is_authenticated", False) or may_read_programme(user):
        items.append({"key": "programme", "label": _("Programme"),
                      "url": reverse("programme:index")})
    items.append({"key": "indicators", "label": _("Indicators"),
                  "url": reverse("indicators:catalogue")})
    items.append({"key": "rankings", "label": _("Rankings"), "url": reverse("scoring:index")})
    if not getattr(user, "is_authenticated", False) or may_somewhere(user, "reports.make"):
        items.append({"key": "reports", "label": _("Reports"), "url": reverse("reports:index")})
    items += [{"key": key, "label": label, "url": reverse(url, args=[key])}
              for key, label, url in AREAS]
    items.append({"key": "units", "label": _("Units"), "url": reverse("units:tree")})
    if getattr(user, "kind", None) != "staff":  # visitors, citizens and businesses
        items.append({"key": "transparency", "label": _("Transparency"),
                      "url": reverse("transparency:index")})
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
    if may_somewhere(user, "programme.report"):
        items.append({"key": "my_tasks", "label": _("My unit's tasks"),
                      "url": reverse("programme:mine")})
    if may_somewhere(user, "programme.review"):
        waiting = review_queue(user).count()
        label = _("Progress reports to review")
        items.append({"key": "programme_review", "url": reverse("programme:review"),
                      "label": f"{label} ({waiting})" if waiting else label})
    if may_somewhere(user, "documents.view"):
        items.append({"key": "documents", "label": _("Official documents"),
                      "url": reverse("documents:list")})
    if may_somewhere(user, "users.manage"):
        items.append({"key": "staff", "label": _("Staff"), "url": reverse("staff:list")})
    if may_read_calendar(user):
        items.append({"key": "calendar", "label": _("Working-day calendar"),
                      "url": reverse("calendars:year")})
    if may_somewhere(user, "audit.view"):
        items.append({"key": "audit", "label": _("Audit log"), "url": reverse("audit:list")})
    if getattr(user, "is_authenticated", False):  # the landing page: what needs me today
        items.insert(0, {"key": "me", "label": _("My page"), "url": reverse("dashboard:home")})
    for item in items:
        item["active"] = request.path.startswith(str(item["url"]))
    return {"nav_items": items}
