from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from tinhso.accounts.api_auth import AUTH
from tinhso.core.api_pagination import Pagination
from tinhso.core.api_schemas import ErrorOut, ISODate
from tinhso.units.models import Level, Unit
from tinhso.units.selectors import unit_children, unit_get, unit_list
from tinhso.units.services import unit_update

router = Router(tags=["units"])


class UnitRef(Schema):
    code: str
    name: str
    level: Level


class FormerName(Schema):
    name: str
    valid_to: date


class UnitOut(Schema):
    code: str
    name: str
    name_en: str
    kind: str
    level: Level
    parent: str | None = Field(None, description="The parent unit's code")
    valid_from: date | None
    valid_to: date | None
    successor: UnitRef | None
    former_names: list[FormerName]
    code_is_official: bool
    is_illustrative: bool = Field(description="Not from a published source")
    source: str

    @staticmethod
    def resolve_parent(obj: Unit) -> str | None:
        return obj.parent.code if obj.parent_id and obj.parent else None


class UnitDetailOut(UnitOut):
    ancestors: list[str] = Field(description="Codes from the root down to the parent")
    children: list[UnitRef]
    predecessors: list[UnitRef] = Field(description="Units that ended by merging into this one")


class UnitFilter(Schema):
    level: Level | None = Field(None, description="country, province, department, district, "
                                                  "commune")
    parent: str | None = Field(None, description="Code of the parent unit")
    on: ISODate | None = Field(None, description="Only units valid on this date (YYYY-MM-DD)")
    q: str = Field("", description="Part of the name, or the exact code")


class UnitPatch(Schema):
    """Only the fields sent change; a name cannot be null (omit it to keep it)."""

    # Left out: unchanged (exclude_unset); sent as null: 422, as a name cannot be null.
    name: str = Field(None, description="The Vietnamese name")  # type: ignore[assignment]
    name_en: str = Field(None, description="The English name")  # type: ignore[assignment]
    valid_from: ISODate | None = None
    valid_to: ISODate | None = None
    successor: str | None = Field(None, description="Successor's code; empty string clears it")


def _unit_or_404(code: str, what: str = "unit") -> Unit:
    try:
        return unit_get(code)
    except Unit.DoesNotExist as exc:
        raise Http404(f"There is no {what} with code '{code}'.") from exc


@router.get("/", response=list[UnitOut], summary="List units",
            description="Filter by level, parent and the date on which units are valid.")
@paginate(Pagination)
def list_units(request: HttpRequest, filters: Query[UnitFilter]) -> Any:
    parent = _unit_or_404(filters.parent, "parent unit") if filters.parent else None
    return unit_list(level=filters.level, parent=parent, on=filters.on, search=filters.q)


@router.get("/{code}/", response={200: UnitDetailOut, 404: ErrorOut}, summary="One unit",
            description="With its children (valid on `on`, or today), its successor and "
                        "predecessors.")
def get_unit(request: HttpRequest, code: str, on: ISODate | None = None) -> Any:
    unit = _unit_or_404(code)
    day = on or timezone.localdate()
    return {
        **UnitOut.from_orm(unit).dict(),
        "ancestors": unit.ancestor_codes,
        "children": unit_children(unit, day),
        "predecessors": list(unit.predecessors.order_by("code")),
    }


@router.patch("/{code}/", response={200: UnitOut, 400: ErrorOut, 401: ErrorOut,
                                    403: ErrorOut, 404: ErrorOut},
              auth=AUTH, summary="Change a unit",
              description="Administrators of the unit (or above) only; recorded in the audit log.")
def patch_unit(request: HttpRequest, code: str, payload: UnitPatch) -> Any:
    unit = _unit_or_404(code)
    changes: dict[str, Any] = payload.dict(exclude_unset=True)
    if "successor" in changes:
        changes["successor"] = (_unit_or_404(changes["successor"], "successor")
                                if changes["successor"] else None)
    return unit_update(actor=request.auth, unit=unit, **changes)  # type: ignore[attr-defined]
