from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from tinhso.core.api_schemas import ErrorOut
from tinhso.scoring.engine import Framework, FrameworkError, available_frameworks, load_framework
from tinhso.scoring.selectors import gap_to_rank, merged_ranking, ranking, unit_assessment
from tinhso.units.selectors import unit_by_code

router = Router(tags=["scoring"])


class MainIndicatorOut(Schema):
    code: str
    name: str
    name_en: str
    weight: float
    components: int


class FrameworkOut(Schema):
    code: str
    name: str
    name_en: str
    legal_basis: str
    scale: float
    missing_policy: str
    published_in_full: bool
    note: str
    indicators: list[MainIndicatorOut]


class RankingRowOut(Schema):
    rank: int
    unit: str
    name: str
    total: float | None


class IndicatorScoreOut(Schema):
    code: str
    name: str
    weight: float
    value: float | None
    source: str


class StepOut(Schema):
    code: str
    current: float
    proposed: float
    points: float
    effort: float


class GapOut(Schema):
    target_rank: int
    score_to_beat: float
    held_by: str | None
    points_missing: float
    reachable: bool
    already_reached: bool
    plan: list[StepOut]
    total_effort: float | None


class ExplanationOut(Schema):
    framework: str
    year: int
    unit: str
    published_rank: int | None
    total: float = Field(description="The index in [0, 1] from these values")
    points: float
    illustrative: bool
    missing: list[str]
    indicators: list[IndicatorScoreOut]
    gap: GapOut


class WhatIfIn(Schema):
    framework: str
    year: int
    unit: str
    target_rank: int = 25
    values: dict[str, float] = Field(default_factory=dict,
                                     description="Main indicator code -> value in [0, 1]")
    efforts: dict[str, float] = Field(default_factory=dict,
                                      description="Main indicator code -> effort per point")


def _framework(code: str) -> Framework:
    try:
        return load_framework(code)
    except FrameworkError as exc:
        raise Http404(str(exc)) from exc


def _framework_out(f: Framework) -> dict[str, Any]:
    return {"code": f.code, "name": f.name, "name_en": f.name_en, "legal_basis": f.legal_basis,
            "scale": f.scale, "missing_policy": f.missing, "published_in_full":
            f.published_in_full, "note": f.note,
            "indicators": [{"code": i.code, "name": i.name, "name_en": i.name_en,
                            "weight": i.weight, "components": len(i.components)}
                           for i in f.indicators]}


@router.get("/frameworks/", response=list[FrameworkOut], summary="Index frameworks")
def frameworks(request: HttpRequest) -> Any:
    return [_framework_out(f) for f in available_frameworks()]


@router.get("/rankings/{framework}/{year}/", response={200: list[RankingRowOut], 404: ErrorOut},
            summary="A published ranking",
            description="With merged=true: the units whose main indicators were published, "
                        "compared across the 2025 merger (each new province scored on the "
                        "average of its members' main indicators).")
def get_ranking(request: HttpRequest, framework: str, year: int, merged: bool = False) -> Any:
    fw = _framework(framework)
    if merged:
        return [{"rank": r, "unit": u.code, "name": u.name, "total": t}
                for r, u, t in merged_ranking(fw, year)]
    rows = ranking(framework, year)
    if not rows:
        raise Http404(f"No results for {framework} in {year}.")
    return [{"rank": r.rank, "unit": r.unit.code, "name": r.name,
             "total": float(r.total) if r.total is not None else None} for r in rows]


def _explain(framework: Framework, year: int, unit_code: str, target_rank: int,
             values: dict[str, float], efforts: dict[str, float]) -> dict[str, Any]:
    unit = unit_by_code(unit_code)
    if unit is None:
        raise Http404(f"There is no unit with code '{unit_code}'.")
    unknown = sorted((set(values) | set(efforts)) - {i.code for i in framework.indicators})
    if unknown:
        raise Http404(f"Unknown main indicators for {framework.code}: {', '.join(unknown)}")
    assessment = unit_assessment(framework, year, unit,
                                 {k: min(max(v, 0.0), 1.0) for k, v in values.items()})
    if assessment is None:
        raise Http404(f"{unit.name} has no values for {framework.code} in {year}.")
    rows = ranking(framework.code, year)
    if not 1 <= target_rank <= max(len(rows), 1):
        raise Http404(f"The target rank must be between 1 and {len(rows)}.")
    gap = gap_to_rank(framework, rows, assessment, target_rank, efforts)
    sources = {i.code: i.source for i in assessment.inputs}
    scores = assessment.scores
    return {
        "framework": framework.code, "year": year, "unit": unit.code,
        "published_rank": gap.published_rank, "total": float(scores.total[0]),
        "points": float(scores.points[0]), "illustrative": assessment.illustrative,
        "missing": scores.missing[0],
        "indicators": [{"code": ind.code, "name": ind.name, "weight": ind.weight,
                        "value": float(scores.indicators[0][j]),
                        "source": "what-if" if ind.code in values else sources.get(ind.code, "")}
                       for j, ind in enumerate(framework.indicators)],
        "gap": {"target_rank": target_rank, "score_to_beat": gap.score_to_beat,
                "held_by": gap.holder.unit.code if gap.holder else None,
                "points_missing": gap.plan.missing_points, "reachable": gap.plan.reachable,
                "already_reached": gap.plan.already_reached,
                "plan": [s.__dict__ for s in gap.plan.steps],
                "total_effort": gap.plan.total_effort if gap.plan.reachable else None},
    }


@router.get("/units/{framework}/{year}/{unit}/", response={200: ExplanationOut, 404: ErrorOut},
            summary="A unit's score explained, with the gap to a target rank and the plan")
def explain(request: HttpRequest, framework: str, year: int, unit: str,
            rank: int = 25) -> Any:
    return _explain(_framework(framework), year, unit, rank, {}, {})


@router.post("/what-if/", response={200: ExplanationOut, 404: ErrorOut},
             summary="Score, rank gap and plan with changed values or efforts")
def what_if(request: HttpRequest, payload: WhatIfIn) -> Any:
    return _explain(_framework(payload.framework), payload.year, payload.unit,
                    payload.target_rank, payload.values, payload.efforts)
