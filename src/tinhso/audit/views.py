from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import may_somewhere, scope_paths
from tinhso.audit.display import detail_lines
from tinhso.audit.events import is_registered, registered_events
from tinhso.audit.selectors import audit_events


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit log, for administrators: the whole log, or their units' part of it."""
    if not may_somewhere(request.user, "audit.view"):
        raise PermissionDenied(_("Only administrators may read the audit log."))
    action = request.GET.get("action", "")
    if action and not is_registered(action):
        action = ""
    actor = request.GET.get("actor", "").strip()
    events = audit_events(action=action, actor=actor,
                          unit_paths=scope_paths(request.user, "audit.view"))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {
        "page": page, "rows": [(e, detail_lines(e.details)) for e in page],
        "actions": [(e, e.label) for e in registered_events()],
        "action": action, "actor": actor,
    })
