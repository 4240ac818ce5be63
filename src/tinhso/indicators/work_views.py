"""The work around indicators: define, open rounds, report (template and upload), review."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.permissions import may, may_somewhere, require, scope_paths
from tinhso.audit.selectors import object_history
from tinhso.core.db import within_paths
from tinhso.core.forms import add_service_errors
from tinhso.core.imports import ImportRejected
from tinhso.core.xlsx import upload_limits
from tinhso.indicators.files import LIMITS, template_workbook, values_import
from tinhso.indicators.forms import (
    EvidenceForm,
    IndicatorForm,
    ReturnForm,
    RoundForm,
    UploadForm,
)
from tinhso.indicators.models import CollectionRound, Evidence, IndicatorValue, ValueStatus
from tinhso.indicators.permissions import wrote_value
from tinhso.indicators.rounds import completeness, owed, round_open, round_remind, rounds_to_report
from tinhso.indicators.selectors import may_read_value
from tinhso.indicators.services import (
    evidence_add,
    indicator_create,
    target_set,
    value_approve,
    value_reopen,
    value_return,
    value_submit,
)
from tinhso.units.selectors import unit_by_code, units_matching

if TYPE_CHECKING:
    from tinhso.units.models import Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _owner_unit(request: HttpRequest) -> Unit:
    """The unit a coordinator works for: the highest unit where they may define indicators."""
    paths = scope_paths(request.user, "indicators.define")
    if paths == []:
        raise PermissionDenied(_("Only coordinators define indicators and open rounds."))
    unit = unit_by_code(settings.TINHSO_HOME_UNIT) if paths is None else (
        units_matching(paths=paths).order_by("depth").first())
    if unit is None:
        raise Http404(_("There is no unit to work for: load the units first."))
    return unit


@login_required
def indicator_new(request: HttpRequest) -> HttpResponse:
    owner = _owner_unit(request)
    form = IndicatorForm(request.POST or None, initial={"target_unit": owner.code})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in ("name_en", "definition", "legal_basis", "direction",
                                       "period_type", "reporting_levels", "aggregation",
                                       "formula", "source_kind", "task_group")}
        try:
            with transaction.atomic():
                indicator = indicator_create(actor=request.user, code=data["code"],
                                             name=data["name"], measure=data["measure"],
                                             **fields)
                if data.get("target_unit"):
                    target_set(actor=request.user, indicator=indicator,
                               unit=data["target_unit"], year=data["target_year"],
                               value=data["target_value"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The indicator was created."))
            return redirect("indicators:detail", code=indicator.code)
    return render(request, "indicators/indicator_form.html", {"form": form})


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = CollectionRound.objects.select_related("owner_unit").order_by("-deadline")
    paths = scope_paths(request.user, "indicators.define")
    if paths is not None:
        visible = [r for r in rounds if any(r.owner_unit.path.startswith(p) for p in paths)]
    else:
        visible = list(rounds)
    return render(request, "indicators/round_list.html", {
        "rounds": visible, "can_open": may_somewhere(request.user, "indicators.define")})


@login_required
def round_new(request: HttpRequest) -> HttpResponse:
    owner = _owner_unit(request)
    form = RoundForm(request.POST or None, owner=owner)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            collection = round_open(actor=request.user, title=data["title"],
                                    period=data["period"], deadline=data["deadline"],
                                    indicators=list(data["indicators"]), units=data["units"],
                                    owner_unit=owner)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The round is open."))
            return redirect("indicators:round", pk=collection.pk)
    return render(request, "indicators/round_form.html", {
        "form": form, "owner": owner,
        "before_indicators": [form[n] for n in ("title", "period", "deadline")],
        "after_indicators": [form["units"]]})


@login_required
def round_board(request: HttpRequest, pk: int) -> HttpResponse:
    collection = get_object_or_404(CollectionRound.objects.select_related("owner_unit"), pk=pk)
    if not (may(request.user, "indicators.define", collection.owner_unit)
            or may(request.user, "dashboard.view", collection.owner_unit)):
        raise PermissionDenied(_("You may not see this round."))
    return render(request, "indicators/round_board.html", {
        "round": collection, "board": completeness(collection),
        "can_remind": may(request.user, "indicators.define", collection.owner_unit),
    })


@login_required
@require_POST
def round_remind_view(request: HttpRequest, pk: int) -> HttpResponse:
    collection = get_object_or_404(CollectionRound, pk=pk)
    count = round_remind(actor=request.user, collection=collection)
    messages.success(request, _("Reminders are being sent to %(n)d late unit(s).") % {"n": count})
    return redirect("indicators:round", pk=pk)


@login_required
def to_report(request: HttpRequest) -> HttpResponse:
    rounds = rounds_to_report(request.user)
    board = {}
    for collection, units in rounds:
        rows = {row.unit.pk: row for row in completeness(collection).units}
        board[collection.pk] = [rows[u.pk] for u in units if u.pk in rows]
    return render(request, "indicators/to_report.html", {
        "rounds": [(c, board[c.pk]) for c, _units in rounds], "form": UploadForm()})


@login_required
def round_template(request: HttpRequest, pk: int, unit_code: str) -> HttpResponse:
    collection = get_object_or_404(CollectionRound, pk=pk)
    unit = collection.units.filter(code=unit_code).first()
    if unit is None:
        raise Http404(_("This unit does not report in this round."))
    require(request.user, "indicators.enter", unit)
    indicators = owed(list(collection.indicators.all()), unit)
    content = template_workbook(indicators=indicators, units=[unit], period=collection.period,
                                title=collection.title)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="tinhso-{collection.period}-{unit.code}.xlsx"')
    return response


@login_required
def round_upload(request: HttpRequest, pk: int) -> HttpResponse:
    collection = get_object_or_404(CollectionRound, pk=pk)
    paths = scope_paths(request.user, "indicators.enter")
    if paths is not None and not collection.units.filter(within_paths("path", paths)).exists():
        raise PermissionDenied(_("Only those who report for a unit of this round upload its "
                                 "values."))
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list = []
    stopped = False
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = values_import(actor=request.user, name=upload.name, content=upload.read(),
                                   submit=form.cleaned_data["submit"],
                                   source=_("Round: %s") % collection.title,
                                   limits=upload_limits(max_rows=LIMITS.max_rows))
        except ImportRejected as exc:
            errors, stopped = exc.errors, exc.stopped
        else:
            messages.success(request, _(
                "%(name)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged."
            ) % {"name": upload.name, "created": result.created, "updated": result.updated,
                 "unchanged": result.unchanged})
            return redirect("indicators:to_report")
    return render(request, "indicators/upload.html", {"round": collection, "form": form,
                                                      "errors": errors, "stopped": stopped},
                  status=400 if errors or form.errors else 200)


@login_required
def review(request: HttpRequest) -> HttpResponse:
    paths = scope_paths(request.user, "indicators.approve")
    if paths == []:
        raise PermissionDenied(_("Only approvers and coordinators review values."))
    values = IndicatorValue.objects.filter(status=ValueStatus.SUBMITTED).select_related(
        "indicator", "unit", "author").order_by("unit__path", "indicator__code")
    if paths is not None:
        values = values.filter(within_paths("unit__path", paths))
    return render(request, "indicators/review.html", {
        "values": values, "form": ReturnForm(),
        "own": {v.pk for v in values if wrote_value(request.user, v)}})


@login_required
def value_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One value: its status, evidence and history; the actions the user may take on it."""
    value = get_object_or_404(IndicatorValue.objects.select_related("indicator", "unit",
                                                                      "author"), pk=pk)
    if not may_read_value(request.user, value):
        raise PermissionDenied(_("You may not see this value."))
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            evidence_add(actor=request.user, value=value, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            add_service_errors(form, exc, default="file")
        else:
            messages.success(request, _("The evidence was added."))
            return redirect("indicators:value", pk=pk)
    return render(request, "indicators/value.html", {
        "value": value, "form": form, "evidence": value.evidence.all(),
        "history": object_history(value).order_by("created_at", "id"),
        "can_enter": may(request.user, "indicators.enter", value.unit),
        "can_review": may(request.user, "indicators.approve", value.unit),
        "own": wrote_value(request.user, value),
    })


@login_required
@require_POST
def value_act(request: HttpRequest, pk: int, act: str) -> HttpResponse:
    value = get_object_or_404(IndicatorValue, pk=pk)
    reason = request.POST.get("reason", "")
    actions = {"submit": lambda: value_submit(actor=request.user, value=value),
               "approve": lambda: value_approve(actor=request.user, value=value),
               "return": lambda: value_return(actor=request.user, value=value, reason=reason),
               "reopen": lambda: value_reopen(actor=request.user, value=value, reason=reason)}
    if act not in actions:
        raise Http404
    try:
        actions[act]()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        if not wrote_value(request.user, value):
            raise
        messages.error(request, str(exc))  # four eyes: the author's own approval, on the page
    else:
        messages.success(request, _("Done: %(status)s.") % {
            "status": ValueStatus(IndicatorValue.objects.get(pk=pk).status).label.lower()})
    if request.POST.get("next") == "review":
        return redirect("indicators:review")
    return redirect("indicators:value", pk=pk)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("value__unit"), pk=pk)
    if not (may(request.user, "indicators.enter", evidence.value.unit)
            or may(request.user, "indicators.approve", evidence.value.unit)):
        raise PermissionDenied(_("You may not see this file."))
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name,
                        content_type=evidence.content_type)
