from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhso.accounts.permissions import may, require
from tinhso.audit.selectors import object_history
from tinhso.core.dates import parse_date
from tinhso.core.forms import add_service_errors
from tinhso.units.models import Level, Unit
from tinhso.units.selectors import merger_table, unit_children, unit_get, unit_tree
from tinhso.units.services import unit_update


def parse_on(raw: str | None) -> date:
    """The ``on`` date of a request (YYYY-MM-DD or DD/MM/YYYY); today when absent."""
    if not raw:
        return timezone.localdate()
    try:
        return parse_date(raw)
    except ValueError as exc:
        raise BadRequest(_("'%(value)s' is not a date: write it as 2022-01-01 or 01/01/2022.")
                         % {"value": raw}) from exc


def _get_unit(code: str) -> Unit:
    try:
        return unit_get(code)
    except Unit.DoesNotExist as exc:
        raise Http404(_("There is no unit with code '%(code)s'.") % {"code": code}) from exc


def tree(request: HttpRequest) -> HttpResponse:
    on = parse_on(request.GET.get("on"))
    roots = unit_tree(on)
    counts: dict[str, int] = {}
    stack = list(roots)
    while stack:
        node = stack.pop()
        counts[node.unit.level] = counts.get(node.unit.level, 0) + 1
        stack.extend(node.children)
    level_counts = [(label, counts.get(value, 0)) for value, label in Level.choices
                    if counts.get(value)]
    return render(request, "units/tree.html", {
        "roots": roots, "on": on, "level_counts": level_counts,
        "examples": [date(2022, 1, 1), date(2026, 1, 1)],
        "home_code": settings.TINHSO_HOME_UNIT,
    })


def detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = _get_unit(code)
    on = parse_on(request.GET.get("on")) if request.GET.get("on") else None
    children = unit_children(unit, on)
    can_edit = may(request.user, "units.manage", unit)
    return render(request, "units/detail.html", {
        "unit": unit, "children": children, "on": on, "can_edit": can_edit,
        "predecessors": list(unit.predecessors.order_by("code")),
        "history": list(object_history(unit)[:20]) if can_edit else [],
    })


def merger(request: HttpRequest) -> HttpResponse:
    rows = merger_table()
    return render(request, "units/merger.html", {
        "rows": rows, "before": sum(len(r.members) for r in rows), "after": len(rows),
    })


class UnitForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    name_en = forms.CharField(label=gettext_lazy("Name in English"), max_length=200,
                              required=False)
    valid_from = forms.DateField(label=gettext_lazy("Valid from"), required=False)
    valid_to = forms.DateField(label=gettext_lazy("Valid to"), required=False)
    successor = forms.CharField(label=gettext_lazy("Successor (code)"), max_length=40,
                                required=False)

    def clean_successor(self) -> Unit | None:
        code = self.cleaned_data["successor"].strip()
        if not code:
            return None
        try:
            return Unit.objects.get(code=code)
        except Unit.DoesNotExist as exc:
            raise ValidationError(_("There is no unit with code '%(code)s'.") % {"code": code}) \
                from exc


@login_required
def edit(request: HttpRequest, code: str) -> HttpResponse:
    unit = _get_unit(code)
    require(request.user, "units.manage", unit)
    initial = {"name": unit.name, "name_en": unit.name_en, "valid_from": unit.valid_from,
               "valid_to": unit.valid_to,
               "successor": unit.successor.code if unit.successor else ""}
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit_update(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The unit was saved."))
            return redirect("units:detail", code=unit.code)
    return render(request, "units/edit.html", {"unit": unit, "form": form})
