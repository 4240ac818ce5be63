from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.services import user_set_language
from tinhso.indicators.selectors import headline_values, targets_with_progress
from tinhso.procedures.catalogue import sample_procedures
from tinhso.procedures.figures import illustrative_dossiers, service_figures
from tinhso.programme.selectors import documents_for_unit, goals_for_unit
from tinhso.units.selectors import unit_by_code
from tinhso.web.context_processors import AREAS


def home(request: HttpRequest) -> HttpResponse:
    unit = unit_by_code(settings.TINHSO_HOME_UNIT)
    context = {
        "unit": unit,
        "goals": list(goals_for_unit(unit)) if unit else [],
        "documents": list(documents_for_unit(unit)) if unit else [],
        "figures": list(headline_values(unit)) if unit else [],
        "targets": targets_with_progress(unit) if unit else [],
        "services": service_figures(unit, timezone.localdate().year)[0] if unit else None,
        "catalogue_sample": sample_procedures(),
        "services_illustrative": illustrative_dossiers(timezone.localdate().year),
    }
    return render(request, "web/home.html", context)


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
