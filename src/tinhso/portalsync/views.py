"""The synchronisation pages, for staff who see dossiers: their agencies' state
(``/portal-sync/``) and one dossier's updates (``/portal-sync/dossiers/<code>/``: a part of
the desk's dossier page, loaded by htmx, or a page of its own)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import may_somewhere
from tinhso.portalsync import selectors
from tinhso.portalsync.connectors import enabled
from tinhso.portalsync.counts import threshold
from tinhso.procedures.selectors import desk_dossier


def _context() -> dict[str, object]:
    connector = enabled()
    return {"connector": connector.name if connector is not None else "",
            "threshold_minutes": int(threshold().total_seconds() // 60)}


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    if not may_somewhere(request.user, selectors.VIEW):
        raise PermissionDenied(_("The synchronisation page is for the staff who see dossiers."))
    year = timezone.localdate().year
    return render(request, "portalsync/overview.html", {
        **_context(), "year": str(year), "states": selectors.agency_states(request.user, year),
        "failing": selectors.failing_updates(request.user)})


@login_required
def dossier(request: HttpRequest, code: str) -> HttpResponse:
    found = desk_dossier(request.user, code)
    if found is None:
        raise Http404(_("There is no dossier %(code)s at your desk.") % {"code": code})
    template = ("portalsync/_dossier.html" if request.headers.get("HX-Request")
                else "portalsync/dossier.html")
    return render(request, template, {**_context(), "dossier": found,
                                      "lines": selectors.dossier_updates(found.pk)})
