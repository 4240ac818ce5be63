from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from tinhso.accounts.services import user_set_language
from tinhso.indicators.selectors import (
    TargetStatus,
    headline_values,
    targets_with_progress,
)
from tinhso.procedures.catalogue import sample_procedures
from tinhso.procedures.figures import (
    illustrative_dossiers,
    monthly_trend,
    months_chart,
    service_figures,
)
from tinhso.programme.goal_status import goal_statuses
from tinhso.programme.selectors import documents_for_unit
from tinhso.units.selectors import unit_by_code
from tinhso.web.charts import shares_chart, target_shares
from tinhso.web.context_processors import AREAS
from tinhso.web.templatetags.web_charts import indicator_name

if TYPE_CHECKING:
    pass


def home(request: HttpRequest) -> HttpResponse:
    unit = unit_by_code(settings.TINHSO_HOME_UNIT)
    year = timezone.localdate().year
    context: dict[str, Any] = {
        "unit": unit, "year": year,
        "catalogue_sample": sample_procedures(),
        "services_illustrative": illustrative_dossiers(year),
    }
    if unit is not None:
        targets = targets_with_progress(unit)
        months = monthly_trend(unit, year)
        shares = target_shares(targets)
        goals, superseded = goal_statuses(unit)
        context.update({
            "goals": goals, "superseded_goals": superseded,
            "documents": list(documents_for_unit(unit)),
            "figures": list(headline_values(unit)),
            "targets": targets,
            "rank_charts": _rank_charts(targets),
            "shares": shares,
            "shares_chart": shares_chart(shares, [indicator_name(r["status"].indicator)
                                                  for r in shares]),
            "services": service_figures(unit, year)[0],
            "months": months, "months_chart": months_chart(months),
        })
    return render(request, "web/home.html", context)


def _rank_charts(targets: list[TargetStatus]) -> list[dict[str, Any]]:
    """One chart per rank indicator with targets: its history and the targets shown."""
    charts: dict[int, dict[str, Any]] = {}
    for status in targets:
        if status.ranks is None:
            continue
        chart = charts.setdefault(status.indicator.pk, {
            "indicator": status.indicator, "history": status.ranks, "targets": []})
        chart["targets"].append(status.target)
    return list(charts.values())


@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers ask for by themselves: the static icon (served with its
    cache-busting name by WhiteNoise)."""
    return HttpResponseRedirect(static("web/favicon.ico"))


def area(request: HttpRequest, key: str) -> HttpResponse:
    labels = {k: label for k, label, _url in AREAS}
    if key not in labels:
        raise Http404(_("There is no such area."))
    return render(request, "web/area.html", {"area_key": key, "area_label": labels[key]})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the language; kept in a cookie, and on the account of a signed-in user."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()},
                                           request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language and check_for_language(language) and language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=language)
    return response
