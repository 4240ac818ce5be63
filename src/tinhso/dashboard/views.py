"""The landing page, reached right after signing in and from the menu ("My page")."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tinhso.dashboard.selectors import landing


@login_required
def home(request: HttpRequest) -> HttpResponse:
    page = landing(request.user)
    return render(request, "dashboard/home.html", {
        "page": page, "needs": page.needs,
        "has_charts": any(s.charts for s in page.sections)})
