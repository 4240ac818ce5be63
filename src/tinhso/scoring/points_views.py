"""A framework's page (pillars, main indicators and their points, the assumption or who
replaced it) and the administrator's page entering the official points."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import may
from tinhso.core.languages import localized
from tinhso.scoring.engine import Framework, FrameworkError, load_framework
from tinhso.scoring.points_selectors import framework_in_force, points_history
from tinhso.scoring.services import framework_points_set


def _frameworks(code: str) -> tuple[Framework, Framework]:
    """(as its file declares it, as in force) or 404."""
    try:
        return load_framework(code), framework_in_force(code)
    except FrameworkError as exc:
        raise Http404(str(exc)) from exc


def _rows(declared: Framework, current: Framework) -> list[dict[str, Any]]:
    return [{"indicator": i, "name": localized(i), "declared": d.weight, "points": i.weight,
             "pillars": [localized(p) for p in current.pillars if i.code in p.indicators]}
            for i, d in zip(current.indicators, declared.indicators, strict=True)]


def framework_page(request: HttpRequest, code: str) -> HttpResponse:
    declared, current = _frameworks(code)
    history = points_history(code)
    return render(request, "scoring/framework.html", {
        "framework": current, "declared": declared, "rows": _rows(declared, current),
        "total": sum(i.weight for i in current.indicators), "history": history,
        "record": history[0] if history else None,
        "may_enter": may(request.user, "scoring.points", None)})


@login_required
def points_page(request: HttpRequest, code: str) -> HttpResponse:
    """GET the form (the points in force filled in); POST them with the document publishing
    them. Refused (403) without the permission; 400 with the reasons when they do not add up."""
    if not may(request.user, "scoring.points", None):
        raise PermissionDenied(_("You may not enter the points of a framework."))
    declared, current = _frameworks(code)
    errors: dict[str, list[str]] = {}
    given = {i.code: f"{i.weight:g}" for i in current.indicators}
    basis = ""
    if request.method == "POST":
        given = {i.code: request.POST.get(f"p_{i.code}", "").strip()
                 for i in declared.indicators}
        basis = request.POST.get("basis", "")
        try:
            framework_points_set(actor=request.user, framework=declared, points=given,
                                 basis=basis)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("The official points are in force."))
            return redirect("scoring:framework", code=code)
    rows = [{"indicator": i, "name": localized(i), "value": given.get(i.code, ""),
             "errors": errors.get(i.code, [])} for i in declared.indicators]
    return render(request, "scoring/points.html", {
        "framework": current, "declared": declared, "rows": rows, "basis": basis,
        "errors": errors.get("__all__", []), "basis_errors": errors.get("basis", [])},
        status=400 if errors else 200)
