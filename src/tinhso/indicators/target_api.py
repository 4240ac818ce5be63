"""``/api/v1/targets/``: the targets, with the status of a plan's kinds (a band, a score, a
count of ranks, a yearly climb) from their index's published results; a new target of any
kind for those who define indicators (``target_services.target_add``: checked, audited)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from tinhso.accounts.api_auth import AUTH
from tinhso.core.api_pagination import Pagination
from tinhso.core.api_schemas import ErrorOut
from tinhso.indicators.api import TargetOut, _indicator, _unit
from tinhso.indicators.models import Target, TargetKind
from tinhso.indicators.target_services import target_add
from tinhso.indicators.target_status import kind_statuses

router = Router(tags=["indicators"])


class KindStatusOut(Schema):
    status: str = Field(description="achieved, on_track, at_risk, off_track or unknown")
    reason: str = Field(description="Why, in the request's language (16/34 in 2024: ...)")
    terms: str = Field(description="What the target asks, in the plan's own unit")


class TargetStatusOut(TargetOut):
    id: int
    status: KindStatusOut | None = Field(
        None, description="For a band, a score, a count or a climb: its status from the latest "
                    "published results of its index")


class TargetIn(Schema):
    indicator: str
    unit: str
    year: int
    value: str = Field(description="The value or rank; a band's first rank; a score's points; "
                       "a count; a climb's places a year. A decimal comma is accepted")
    kind: str = TargetKind.VALUE
    rank_of: int | None = None
    value_high: str | None = None
    top: int | None = None
    among: int | None = None
    scale: int | None = None
    framework: str = ""
    baseline_year: int | None = None
    baseline_value: str | None = None
    source: str = ""
    quote: str = ""


def _with_status(targets: list[Target]) -> list[Target]:
    for unit in {t.unit for t in targets if t.kind != TargetKind.VALUE}:
        found = kind_statuses([t for t in targets if t.unit == unit], unit)
        for target in targets:
            if target.pk in found:
                target.status = found[target.pk]  # type: ignore[attr-defined]
    return targets


@router.get("/targets/", response=list[TargetStatusOut], summary="Targets")
@paginate(Pagination)
def list_targets(request: HttpRequest, indicator: str | None = None,
                 unit: str | None = None) -> Any:
    qs = Target.objects.select_related("indicator", "unit").order_by("indicator__code", "year",
                                                                     "id")
    if indicator:
        qs = qs.filter(indicator=_indicator(indicator))
    if unit:
        qs = qs.filter(unit=_unit(unit))
    return _with_status(list(qs))


@router.post("/targets/", response={201: TargetStatusOut, 400: ErrorOut, 401: ErrorOut,
                                    403: ErrorOut, 404: ErrorOut},
             auth=AUTH, summary="Set a target of any kind (those who define indicators)")
def post_target(request: HttpRequest, payload: TargetIn) -> Any:
    data = payload.dict()
    target = target_add(actor=request.auth,  # type: ignore[attr-defined]
                        indicator=_indicator(data.pop("indicator")),
                        unit=_unit(data.pop("unit")), **data)
    return Status(201, _with_status([target])[0])
