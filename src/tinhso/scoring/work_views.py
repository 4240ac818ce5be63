"""Self-assessment: units answer with evidence, the coordinator verifies or returns."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.permissions import may, scope_paths
from tinhso.core.db import within_paths
from tinhso.core.languages import localized
from tinhso.scoring.engine import Framework, FrameworkError, load_framework
from tinhso.scoring.explain import explain_from_indicators, total_points
from tinhso.scoring.models import AnswerStatus, SelfAssessmentAnswer
from tinhso.scoring.selectors import (
    explain_components,
    ranking_from_inputs,
    scores_from_indicators,
    wrote_answer,
)
from tinhso.scoring.services import answer_return, answer_submit, answer_verify
from tinhso.units.selectors import unit_by_code


def _framework(code: str) -> Framework:
    try:
        return load_framework(code)
    except FrameworkError as exc:
        raise Http404(str(exc)) from exc


def questions(framework: Framework) -> list[dict[str, Any]]:
    """Each input a unit answers, labelled by its own name (a criterion of a checklist, a term
    of a ratio), with the component it belongs to when that differs."""
    rows = []
    for indicator in framework.indicators:
        for component in indicator.components:
            for code in component.inputs:
                name = component.input_name(code)
                rows.append({"code": code, "indicator": localized(indicator), "name": name,
                             "component": component.name if name != component.name else "",
                             "rule": component.rule["type"]})
    return rows


@login_required
def answer_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    framework = _framework(code)
    own = getattr(request.user, "unit", None)
    unit = unit_by_code(str(request.GET.get("unit") or getattr(own, "code", "")))
    if unit is None or not may(request.user, "indicators.enter", unit):
        raise PermissionDenied(_("You may not answer for this unit."))
    if request.method == "POST":
        try:
            answer_submit(actor=request.user, framework=framework, year=year, unit=unit,
                          code=request.POST.get("code", ""), value=request.POST.get("value", ""),
                          comment=request.POST.get("comment", ""),
                          evidence=request.FILES.get("evidence"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The answer was sent for verification."))
        return redirect(f"{request.path}?unit={unit.code}")
    answers = {a.code: a for a in SelfAssessmentAnswer.objects.filter(
        framework=framework.code, year=year, unit=unit)}
    rows = [{**q, "answer": answers.get(q["code"])} for q in questions(framework)]
    return render(request, "scoring/answer.html", {"framework": framework, "year": year,
                                                   "unit": unit, "rows": rows})


@login_required
def verify_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    framework = _framework(code)
    paths = scope_paths(request.user, "scoring.manage")
    if paths == []:
        raise PermissionDenied(_("Only coordinators verify self-assessments."))
    answers = SelfAssessmentAnswer.objects.filter(
        framework=framework.code, year=year, status=AnswerStatus.SUBMITTED).select_related(
        "unit", "answered_by").order_by("unit__path", "code")
    if paths is not None:
        answers = answers.filter(within_paths("unit__path", paths))
    names = {q["code"]: q["name"] for q in questions(framework)}
    return render(request, "scoring/verify.html", {
        "framework": framework, "year": year, "answers": answers,
        "named": [(a, names.get(a.code, a.code)) for a in answers],
        "own": {a.pk for a in answers if wrote_answer(request.user, a)}})


@login_required
@require_POST
def verify_act(request: HttpRequest, pk: int, act: str) -> HttpResponse:
    answer = get_object_or_404(SelfAssessmentAnswer, pk=pk)
    try:
        if act == "verify":
            answer_verify(actor=request.user, answer=answer)
        elif act == "return":
            answer_return(actor=request.user, answer=answer,
                          reason=request.POST.get("reason", ""))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        if not wrote_answer(request.user, answer):
            raise
        messages.error(request, str(exc))  # four eyes: one's own answer, said on the page
    return redirect("scoring:verify", code=answer.framework, year=answer.year)


def units_ranking(request: HttpRequest, code: str, year: int, parent: str) -> HttpResponse:
    """The ranking of a province's departments and communes from verified answers; units with
    no verified answer yet are listed after, unranked."""
    framework = _framework(code)
    unit = unit_by_code(parent)
    if unit is None:
        raise Http404(_("There is no unit with code '%(code)s'.") % {"code": parent})
    if framework.inputs_from == "indicators":  # from the platform's records (766)
        children = list(unit.children.valid_on(timezone.localdate()).order_by("level", "name"))
        result = scores_from_indicators(framework, children, str(year), root=unit)
    else:
        result = ranking_from_inputs(framework, year, unit, timezone.localdate())
    rows = sorted(zip(result.ranks, result.units, result.scores.points.tolist(),
                      result.scores.missing, strict=True), key=lambda r: (r[0], r[1].name))
    return render(request, "scoring/units_ranking.html", {
        "framework": framework, "year": year, "parent": unit, "rows": rows, "result": result,
        "ranked": len(rows), "unranked": result.unranked,
        "field_size": len(rows) + len(result.unranked)})


def explain_page(request: HttpRequest, code: str, year: int, unit_code: str) -> HttpResponse:
    """A unit's score opened down to its components, their inputs and where each came from."""
    framework = _framework(code)
    unit = unit_by_code(unit_code)
    if unit is None:
        raise Http404(_("There is no unit with code '%(code)s'.") % {"code": unit_code})
    if framework.inputs_from == "indicators":  # from the platform's records (766)
        items = explain_from_indicators(framework, year, unit)
        return render(request, "scoring/explain_items.html", {
            "framework": framework, "year": year, "unit": unit, "lines": items,
            "total": total_points(framework, items),
            "missing": sum(1 for i in items if i.points is None and i.max_points > 0)})
    lines = explain_components(framework, year, unit)
    total = sum(line.points or 0 for line in lines)
    return render(request, "scoring/explain.html", {"framework": framework, "year": year,
                                                    "unit": unit, "lines": lines,
                                                    "total": total})
