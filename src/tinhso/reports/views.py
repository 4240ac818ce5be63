"""The reports' pages: the form that asks for a report, the history, a run's page with its
progress, and the download. Thin: the work is in ``services`` and the background task."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import may_somewhere
from tinhso.reports.permissions import MAKE_REPORTS


def _require(request: HttpRequest) -> None:
    if not may_somewhere(request.user, MAKE_REPORTS):
        raise PermissionDenied(_("Only staff who may make reports may open this page."))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require(request)
    return render(request, "reports/index.html", {})
