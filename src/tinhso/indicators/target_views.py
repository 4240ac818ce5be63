"""An indicator's targets page: every target by unit and year with its baseline and source, for
everyone; adding, changing and deleting them for those who define indicators
(``target_services``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.permissions import may, may_somewhere, scope_paths
from tinhso.core.db import within_paths
from tinhso.core.forms import add_service_errors
from tinhso.core.languages import localized
from tinhso.indicators.forms import TargetForm
from tinhso.indicators.models import Indicator, Measure, Target, TargetKind
from tinhso.indicators.selectors import indicator_by_code, indicator_targets
from tinhso.indicators.target_services import (
    plain_number,
    target_add,
    target_delete,
    target_update,
)
from tinhso.indicators.target_status import kind_statuses, text_language
from tinhso.units.selectors import all_units, unit_by_code, units_within


def _indicator(code: str) -> Indicator:
    indicator = indicator_by_code(code)
    if indicator is None:
        raise Http404(_("There is no indicator with code '%(code)s'.") % {"code": code})
    return indicator


def _target(indicator: Indicator, pk: int) -> Target:
    target = indicator_targets(indicator).filter(pk=pk).first()
    if target is None:
        raise Http404(_("This indicator has no such target."))
    return target


def _units(request: HttpRequest, also: Any = None) -> QuerySet[Any]:
    """The units the user may set targets for, valid today (and the target's own unit)."""
    paths = scope_paths(request.user, "indicators.define")
    today = timezone.localdate()
    valid = (Q(valid_from__isnull=True) | Q(valid_from__lte=today)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    if paths is None:
        home = unit_by_code(settings.TINHSO_HOME_UNIT)
        units = units_within(home) if home is not None else all_units()
    else:
        units = all_units().filter(within_paths("path", paths))
    chosen = units.filter(valid) if also is None else units.filter(valid | Q(pk=also.pk))
    return chosen.order_by("depth", "name")


def _form(request: HttpRequest, indicator: Indicator, target: Target | None = None
          ) -> TargetForm:
    initial = {} if target is None else {
        "unit": target.unit, "year": target.year, "value": plain_number(target.value),
        "rank_of": target.rank_of, "baseline_year": target.baseline_year,
        "baseline_value": (plain_number(target.baseline_value)
                           if target.baseline_value is not None else None),
        "source": target.source, "kind": target.kind,
        "value_high": (plain_number(target.value_high)
                       if target.value_high is not None else None),
        "top": target.top, "among": target.among, "scale": target.scale,
        "framework": target.framework, "quote": target.quote}
    return TargetForm(request.POST or None, initial=initial,
                      units=_units(request, target.unit if target else None),
                      rank=indicator.measure == Measure.RANK)


def _fields(form: TargetForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {"unit": data["unit"], "year": data["year"], "value": data["value"],
            "rank_of": data.get("rank_of"), "baseline_year": data.get("baseline_year"),
            "baseline_value": data.get("baseline_value"), "source": data.get("source", ""),
            **{k: data.get(k) for k in ("kind", "value_high", "top", "among", "scale",
                                        "framework", "quote")}}


def targets_page(request: HttpRequest, code: str) -> HttpResponse:
    """The list for everyone; the add form for those who may define indicators."""
    indicator = _indicator(code)
    may_define = may_somewhere(request.user, "indicators.define")
    form = _form(request, indicator) if may_define else None
    status = 200
    if request.method == "POST":
        if form is None and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form is None:
            raise PermissionDenied(_("Only those who define indicators set their targets."))
        if form.is_valid():
            try:
                target_add(actor=request.user, indicator=indicator, **_fields(form))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The target was added."))
                return redirect("indicators:targets", code=indicator.code)
        status = 400
    targets = list(indicator_targets(indicator))
    statuses = {}
    for unit in {t.unit for t in targets if t.kind != TargetKind.VALUE}:
        statuses.update(kind_statuses([t for t in targets if t.unit == unit], unit))
    rows = [{"target": t, "editable": may(request.user, "indicators.define", t.unit),
             "status": statuses.get(t.pk), "quote_language": text_language(t.quote)}
            for t in targets]
    return render(request, "indicators/targets.html", {
        "indicator": indicator, "rows": rows, "form": form,
        "rank": indicator.measure == Measure.RANK}, status=status)


@login_required
def target_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    indicator = _indicator(code)
    target = _target(indicator, pk)
    if not may(request.user, "indicators.define", target.unit):
        raise Http404(_("This indicator has no such target."))
    form = _form(request, indicator, target)
    if request.method == "POST" and form.is_valid():
        try:
            target_update(actor=request.user, target=target, **_fields(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The target was changed."))
            return redirect("indicators:targets", code=indicator.code)
    return render(request, "indicators/target_form.html", {
        "indicator": indicator, "target": target, "form": form},
        status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def target_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    indicator = _indicator(code)
    target = _target(indicator, pk)
    if not may(request.user, "indicators.define", target.unit):
        raise Http404(_("This indicator has no such target."))
    target_delete(actor=request.user, target=target)
    messages.success(request, _("The target of %(unit)s for %(year)s was deleted.")
                     % {"unit": localized(target.unit), "year": target.year})
    return redirect("indicators:targets", code=indicator.code)

