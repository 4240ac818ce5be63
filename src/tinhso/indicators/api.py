from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from tinhso.accounts.api_auth import AUTH
from tinhso.core.api_pagination import Pagination
from tinhso.core.api_schemas import ErrorOut
from tinhso.indicators.models import (
    CollectionRound,
    Indicator,
    IndicatorValue,
    Target,
    TaskGroup,
    ValueStatus,
)
from tinhso.indicators.rounds import (
    Completeness,
    completeness,
    round_units_visible,
    visible_rounds,
)
from tinhso.indicators.selectors import (
    catalogue,
    indicator_progress,
    indicator_series,
    visible_values,
)
from tinhso.indicators.services import (
    value_approve,
    value_reopen,
    value_return,
    value_save,
    value_submit,
)
from tinhso.units.selectors import unit_by_code

if TYPE_CHECKING:
    from tinhso.units.models import Unit

router = Router(tags=["indicators"])


class IndicatorOut(Schema):
    code: str
    name: str
    name_en: str
    definition: str
    legal_basis: str
    measure: str
    direction: str
    period_type: str
    reporting_levels: list[str]
    aggregation: str
    formula: str
    source_kind: str
    task_group: str
    owner_unit: str | None = None
    is_illustrative: bool

    @staticmethod
    def resolve_owner_unit(obj: Indicator) -> str | None:
        return obj.owner_unit.code if obj.owner_unit else None


class ValueOut(Schema):
    id: int
    indicator: str
    unit: str
    period: str
    value: Decimal
    rank_of: int | None
    status: ValueStatus
    source: str
    comment: str
    return_reason: str
    is_illustrative: bool
    updated_at: Any

    @staticmethod
    def resolve_indicator(obj: IndicatorValue) -> str:
        return obj.indicator.code

    @staticmethod
    def resolve_unit(obj: IndicatorValue) -> str:
        return obj.unit.code


class TargetOut(Schema):
    indicator: str
    unit: str
    year: int
    value: Decimal
    baseline_year: int | None
    baseline_value: Decimal | None
    rank_of: int | None = Field(description="For a rank target: how many units were ranked "
                                "when it was set (top 20 of 63 is not top 20 of 34)")
    source: str
    is_illustrative: bool
    kind: str = Field(description="value (a value or a rank to reach), rank_band, score, "
                      "rank_count or climb")
    value_high: Decimal | None = Field(description="A band's last rank (19 of 17-19); a "
                                       "climb's upper figure (2 of 1-2)")
    top: int | None = Field(description="A count's rank threshold (the top 10); a band's group "
                            "(the top 20)")
    among: int | None = Field(description="A count's number of main indicators (4 of 8)")
    scale: int | None = Field(description="A score's points in all (1000 for 800/1,000)")
    framework: str = Field(description="The index whose published results judge a band, a "
                           "score, a count or a climb")
    quote: str

    @staticmethod
    def resolve_indicator(obj: Target) -> str:
        return obj.indicator.code

    @staticmethod
    def resolve_unit(obj: Target) -> str:
        return obj.unit.code


class PointOut(Schema):
    period: str
    value: float


class ProgressOut(Schema):
    status: str = Field(description="achieved, on_track, at_risk, off_track, unknown, or "
                        "not_comparable: a rank target set in another field than the latest "
                        "rank's")
    latest: float | None
    latest_of: int | None = Field(None, description="For a rank: the latest rank's field size")
    proportional: float | None = Field(None, description="When not comparable: the latest rank "
                                       "read proportionally in the target's field (a reading, "
                                       "not a published rank)")
    projection: float | None = Field(description="The trend's value at the target year's end")
    target: TargetOut


class SeriesOut(Schema):
    indicator: str
    unit: str
    points: list[PointOut]
    progress: ProgressOut | None


class ValueIn(Schema):
    indicator: str
    unit: str
    period: str = Field(description="2026, 2026S1, 2026Q2 or 202606")
    value: str = Field(description="A number; a decimal comma is accepted (64,06)")
    comment: str = ""
    submit: bool = Field(False, description="Submit for approval at once")


class ReasonIn(Schema):
    reason: str


class ValueFilter(Schema):
    indicator: str | None = None
    unit: str | None = Field(None, description="A unit code: its values and those below it")
    period: str | None = None
    status: ValueStatus | None = None


class RoundOut(Schema):
    id: int
    title: str
    period: str
    deadline: date
    is_open: bool
    owner_unit: str
    indicators: list[str]
    units: list[str]

    @staticmethod
    def resolve_owner_unit(obj: CollectionRound) -> str:
        return obj.owner_unit.code

    @staticmethod
    def resolve_indicators(obj: CollectionRound) -> list[str]:
        return [i.code for i in obj.indicators.all()]

    @staticmethod
    def resolve_units(obj: CollectionRound) -> list[str]:
        return [u.code for u in obj.units.all()]


class UnitProgressOut(Schema):
    unit: str
    owed: int
    entered: int
    submitted: int
    approved: int
    state: str
    late: bool


class CompletenessOut(Schema):
    round: RoundOut
    reporting_rate: float = Field(description="Percent of units that have reported")
    units: list[UnitProgressOut]


def _indicator(code: str) -> Indicator:
    indicator = catalogue().filter(code=code).first()
    if indicator is None:
        raise Http404(f"There is no indicator with code '{code}'.")
    return indicator


def _unit(code: str) -> "Unit":
    unit = unit_by_code(code)
    if unit is None:
        raise Http404(f"There is no unit with code '{code}'.")
    return unit


def _value(pk: int) -> IndicatorValue:
    value = IndicatorValue.objects.select_related("indicator", "unit").filter(pk=pk).first()
    if value is None:
        raise Http404(f"There is no value {pk}.")
    return value


@router.get("/indicators/", response=list[IndicatorOut], summary="The indicator catalogue")
@paginate(Pagination)
def list_indicators(request: HttpRequest, task_group: TaskGroup | None = None,
                    q: str = "") -> Any:
    qs = catalogue()
    if task_group:
        qs = qs.filter(task_group=task_group)
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(code__icontains=q)
    return qs


@router.get("/indicators/{code}/", response={200: IndicatorOut, 404: ErrorOut},
            summary="One indicator")
def get_indicator(request: HttpRequest, code: str) -> Any:
    return _indicator(code)


@router.get("/indicators/{code}/series/", response={200: SeriesOut, 404: ErrorOut},
            summary="Approved values over time at a unit, with the next target's status",
            description="Computed: a unit's own value, else the aggregate of the units below; "
                        "formula indicators from their aggregated inputs.")
def get_series(request: HttpRequest, code: str, unit: str) -> Any:
    indicator, place = _indicator(code), _unit(unit)
    series = indicator_series(indicator, place)
    target, progress = indicator_progress(indicator, place, series)
    return {
        "indicator": indicator.code, "unit": place.code,
        "points": [{"period": p.period.code, "value": p.value} for p in series],
        "progress": {"status": progress.status, "latest": progress.latest,
                     "latest_of": progress.latest_of, "proportional": progress.proportional,
                     "projection": progress.projection, "target": target}
        if progress and target else None,
    }


@router.get("/values/", response={200: list[ValueOut], 401: ErrorOut}, auth=AUTH,
            summary="Indicator values, every status, with their comments",
            description="The values of the units where the caller may enter, approve or see "
                        "the dashboards (as on the value's page), whether signed in by token or "
                        "by session. Approved figures are public through "
                        "`/indicators/{code}/series/`.")
@paginate(Pagination)
def list_values(request: HttpRequest, filters: Query[ValueFilter]) -> Any:
    qs = visible_values(request.auth).order_by(  # type: ignore[attr-defined]
        "indicator__code", "unit__path", "period_start", "id")
    if filters.indicator:
        qs = qs.filter(indicator=_indicator(filters.indicator))
    if filters.unit:
        qs = qs.filter(unit__path__startswith=_unit(filters.unit).path)
    if filters.period:
        qs = qs.filter(period=filters.period)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs


@router.post("/values/", response={201: ValueOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut,
                                   404: ErrorOut},
             auth=AUTH, summary="Enter a value (draft, or submitted at once)")
def post_value(request: HttpRequest, payload: ValueIn) -> Any:
    value = value_save(actor=request.auth,  # type: ignore[attr-defined]
                       indicator=_indicator(payload.indicator),
                       unit=_unit(payload.unit), period=payload.period, value=payload.value,
                       comment=payload.comment, submit=payload.submit)
    return Status(201, value)


@router.post("/values/{value_id}/submit/", response={200: ValueOut, 400: ErrorOut,
                                                     401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
             auth=AUTH, summary="Submit a value for approval")
def submit_value(request: HttpRequest, value_id: int) -> Any:
    return value_submit(actor=request.auth, value=_value(value_id))  # type: ignore[attr-defined]


@router.post("/values/{value_id}/approve/", response={200: ValueOut, 400: ErrorOut,
                                                      401: ErrorOut, 403: ErrorOut,
                                                      404: ErrorOut},
             auth=AUTH, summary="Approve a submitted value (it is then locked)")
def approve_value(request: HttpRequest, value_id: int) -> Any:
    return value_approve(actor=request.auth, value=_value(value_id))  # type: ignore[attr-defined]


@router.post("/values/{value_id}/return/", response={200: ValueOut, 400: ErrorOut,
                                                     401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
             auth=AUTH, summary="Return a submitted value to its unit, with a reason")
def return_value(request: HttpRequest, value_id: int, payload: ReasonIn) -> Any:
    return value_return(actor=request.auth, value=_value(value_id),  # type: ignore[attr-defined]
                        reason=payload.reason)


@router.post("/values/{value_id}/reopen/", response={200: ValueOut, 400: ErrorOut,
                                                     401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
             auth=AUTH, summary="Reopen an approved value, with a reason")
def reopen_value(request: HttpRequest, value_id: int, payload: ReasonIn) -> Any:
    return value_reopen(actor=request.auth, value=_value(value_id),  # type: ignore[attr-defined]
                        reason=payload.reason)


@router.get("/rounds/", response={200: list[RoundOut], 401: ErrorOut}, auth=AUTH,
            summary="Collection rounds",
            description="The rounds the caller runs or watches, and those they report in.")
def list_rounds(request: HttpRequest) -> Any:
    return visible_rounds(request.auth).prefetch_related(  # type: ignore[attr-defined]
        "indicators", "units")


@router.get("/rounds/{round_id}/", response={200: CompletenessOut, 401: ErrorOut,
                                             404: ErrorOut},
            auth=AUTH, summary="A round's completeness: who has reported, who is late",
            description="Every unit for whoever runs or watches the round; for a reporter, the "
                        "units they report for.")
def get_round(request: HttpRequest, round_id: int) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    collection = visible_rounds(user).filter(pk=round_id).first()
    if collection is None:
        raise Http404(f"There is no round {round_id}.")
    shown = {u.pk for u in round_units_visible(user, collection)}
    board = Completeness(collection, [row for row in completeness(collection).units
                                      if row.unit.pk in shown])
    return {"round": collection, "reporting_rate": board.rate,
            "units": [{"unit": r.unit.code, "owed": r.owed, "entered": r.entered,
                       "submitted": r.submitted, "approved": r.approved, "state": r.state,
                       "late": r.late} for r in board.units]}
