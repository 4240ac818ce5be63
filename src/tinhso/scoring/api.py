import math
import re
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Path, Router, Schema

from tinhso.core.api_schemas import ErrorOut
from tinhso.scoring.engine import Framework, FrameworkError, available_frameworks, load_framework
from tinhso.scoring.gap_selectors import Gap, gap_to_rank
from tinhso.scoring.selectors import merged_ranking, ranking, unit_assessment
from tinhso.units.selectors import unit_by_code

router = Router(tags=["scoring"])

# The years a ranking may have (the database keeps a year in a small integer).
YEAR_MIN, YEAR_MAX = 1900, 2100
Year = Annotated[int, Path(ge=YEAR_MIN, le=YEAR_MAX, description="The ranking's year")]
_FRAMEWORK_CODE = re.compile(r"[A-Za-z0-9_-]{1,100}")
# A what-if's numbers: finite (values and ceilings are then held in [0, 1]); an effort per
# point is not negative (the plan minimises it).
Finite = Annotated[float, Field(allow_inf_nan=False)]
Effort = Annotated[float, Field(ge=0, le=1e6, allow_inf_nan=False)]


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
    value: float | None = Field(description="The main indicator's value in [0, 1]; null when "
                                            "it was not published (never zero)")
    source: str


class StepOut(Schema):
    code: str
    current: float
    proposed: float
    points: float
    effort: float
    ceiling: float


class ScoreToBeatOut(Schema):
    published: bool = Field(description="Whether the score at the target rank was published")
    exact: float | None = Field(description="The published score at the target rank")
    lower: float = Field(description="Not published: the nearest published score below "
                                     "(0 when none)")
    upper: float = Field(description="Not published: the nearest published score above "
                                     "(1, full marks, when none); the plan aims at it")
    lower_rank: int | None
    lower_unit: str | None
    upper_rank: int | None
    upper_unit: str | None


class CeilingOut(Schema):
    value: float
    best_published: float | None
    origin: str = Field(description="what-if, best-published or full-marks")


class GapOut(Schema):
    target_rank: int
    field_size: int = Field(description="How many units the ranking has")
    method: str = Field(description="The framework and year the ranks belong to")
    score_to_beat: float = Field(description="The published score at the target rank, or the "
                                             "upper bound when it was not published")
    target: ScoreToBeatOut
    held_by: str | None
    points_missing: float
    reachable: bool = Field(description="Whether the plan reaches the score within the "
                                        "ceilings")
    already_reached: bool
    reached: float | None = Field(description="The index the plan reaches")
    points_short: float = Field(description="Points still missing after the plan")
    plan: list[StepOut] = Field(description="Unreachable: every indicator at its ceiling")
    total_effort: float | None
    ceilings: dict[str, CeilingOut]


class ExplanationOut(Schema):
    framework: str
    year: int
    unit: str
    published_rank: int | None
    field_size: int
    total: float | None = Field(description="The index in [0, 1] from these values (null "
                                            "when none of them was published)")
    points: float | None
    illustrative: bool
    missing: list[str]
    indicators: list[IndicatorScoreOut]
    gap: GapOut


class WhatIfIn(Schema):
    framework: str
    year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    unit: str
    target_rank: int = 25
    values: dict[str, Finite] = Field(default_factory=dict,
                                      description="Main indicator code -> value in [0, 1]")
    efforts: dict[str, Effort] = Field(default_factory=dict,
                                       description="Main indicator code -> effort per point")
    ceilings: dict[str, Finite] = Field(default_factory=dict,
                                       description="Main indicator code -> the highest value "
                                                   "the plan may propose (default: the best "
                                                   "published in the field)")


def _framework(code: str) -> Framework:
    if not _FRAMEWORK_CODE.fullmatch(code):
        raise Http404(f"There is no framework '{code}'.")
    try:
        return load_framework(code)
    except FrameworkError as exc:
        raise Http404(str(exc)) from exc


def _number(value: float) -> float | None:
    """A score as JSON has it: null where it is not published (NaN), never NaN nor zero."""
    number = float(value)
    return None if math.isnan(number) else number


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
def get_ranking(request: HttpRequest, framework: str, year: Year, merged: bool = False) -> Any:
    fw = _framework(framework)
    if merged:
        return [{"rank": r, "unit": u.code, "name": u.name, "total": t}
                for r, u, t in merged_ranking(fw, year)]
    rows = ranking(framework, year)
    if not rows:
        raise Http404(f"No results for {framework} in {year}.")
    return [{"rank": r.rank, "unit": r.unit.code, "name": r.name,
             "total": float(r.total) if r.total is not None else None} for r in rows]


def _target_out(gap: Gap) -> dict[str, Any]:
    target = gap.target
    return {"published": target.published, "exact": target.exact, "lower": target.lower,
            "upper": target.upper,
            "lower_rank": gap.lower_row.rank if gap.lower_row else None,
            "lower_unit": gap.lower_row.unit.code if gap.lower_row else None,
            "upper_rank": gap.upper_row.rank if gap.upper_row else None,
            "upper_unit": gap.upper_row.unit.code if gap.upper_row else None}


def _gap_out(framework: Framework, year: int, gap: Gap) -> dict[str, Any]:
    result = gap.plan
    return {
        "target_rank": gap.target_rank, "field_size": gap.field_size,
        "method": f"{framework.short_name} {year}", "score_to_beat": gap.score_to_beat,
        "target": _target_out(gap), "held_by": gap.holder.unit.code if gap.holder else None,
        "points_missing": result.missing_points, "reachable": result.reachable,
        "already_reached": result.already_reached, "reached": result.reached,
        "points_short": result.points_short, "plan": [s.__dict__ for s in result.steps],
        "total_effort": result.total_effort if result.reachable else None,
        "ceilings": {code: {"value": c.value, "best_published": c.best, "origin": c.origin}
                     for code, c in gap.ceilings.items()},
    }


def _explain(framework: Framework, year: int, unit_code: str, target_rank: int,
             values: dict[str, float], efforts: dict[str, float],
             ceilings: dict[str, float]) -> dict[str, Any]:
    unit = unit_by_code(unit_code)
    if unit is None:
        raise Http404(f"There is no unit with code '{unit_code}'.")
    codes = {i.code for i in framework.indicators}
    unknown = sorted((set(values) | set(efforts) | set(ceilings)) - codes)
    if unknown:
        raise Http404(f"Unknown main indicators for {framework.code}: {', '.join(unknown)}")
    rows = ranking(framework.code, year)
    if not rows:
        raise Http404(f"{framework.code} has no published ranking for {year}: a unit's score "
                      "is explained against the ranking of a year that has one.")
    assessment = unit_assessment(framework, year, unit,
                                 {k: min(max(v, 0.0), 1.0) for k, v in values.items()})
    if assessment is None:
        raise Http404(f"{unit.name} has no values for {framework.code} in {year}.")
    if not 1 <= target_rank <= len(rows):
        raise ValidationError({"target_rank": f"The target rank must be between 1 and "
                                              f"{len(rows)} (the number of units ranked)."})
    gap = gap_to_rank(framework, rows, assessment, target_rank, efforts, ceilings)
    sources = {i.code: i.source for i in assessment.inputs}
    scores = assessment.scores
    return {
        "framework": framework.code, "year": year, "unit": unit.code,
        "published_rank": gap.published_rank, "field_size": gap.field_size,
        "total": _number(scores.total[0]),
        "points": _number(scores.points[0]), "illustrative": assessment.illustrative,
        "missing": scores.missing[0],
        "indicators": [{"code": ind.code, "name": ind.name, "weight": ind.weight,
                        "value": _number(scores.indicators[0][j]),
                        "source": "what-if" if ind.code in values else sources.get(ind.code, "")}
                       for j, ind in enumerate(framework.indicators)],
        "gap": _gap_out(framework, year, gap),
    }


@router.get("/units/{framework}/{year}/{unit}/",
            response={200: ExplanationOut, 400: ErrorOut, 404: ErrorOut},
            summary="A unit's score explained, with the gap to a target rank and the plan",
            description="A target rank outside 1..n (n units ranked) answers 400.")
def explain(request: HttpRequest, framework: str, year: Year, unit: str,
            rank: int = 25) -> Any:
    return _explain(_framework(framework), year, unit, rank, {}, {}, {})


@router.post("/what-if/", response={200: ExplanationOut, 400: ErrorOut, 404: ErrorOut},
             summary="Score, rank gap and plan with changed values, efforts or ceilings")
def what_if(request: HttpRequest, payload: WhatIfIn) -> Any:
    return _explain(_framework(payload.framework), payload.year, payload.unit,
                    payload.target_rank, payload.values, payload.efforts, payload.ceilings)
