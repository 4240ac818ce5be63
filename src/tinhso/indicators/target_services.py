"""Writes on an indicator's targets from its targets page: add, change, delete. Each needs
"indicators.define" on the target's unit (and on the new unit when it moves), runs in one
transaction and records its audit event. ``services.target_set`` (set or replace by unit and
year) stays the way of the indicator form, the API and the loaders."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import require
from tinhso.audit.services import audit_record
from tinhso.indicators import audit_events
from tinhso.indicators.models import Indicator, Measure, Target
from tinhso.indicators.services import _check_value, to_decimal
from tinhso.indicators.target_checks import KIND_FIELDS, check_kind

if TYPE_CHECKING:
    from tinhso.units.models import Unit

FIELDS = ("unit", "year", "value", "baseline_year", "baseline_value", "rank_of", "source",
          "kind", *KIND_FIELDS, "quote")


def _cleaned(indicator: Indicator, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields as stored: numbers parsed (Vietnamese commas accepted) and checked against
    the indicator's measure (a plan's kind: its terms, ``target_checks``); the field size only
    for a rank."""
    data = dict(fields)
    data["value"] = to_decimal(data["value"])
    _check_value(indicator, data["value"])
    baseline = data.get("baseline_value")
    data["baseline_value"] = (None if baseline in (None, "")
                              else to_decimal(baseline, "baseline_value"))
    if indicator.measure != Measure.RANK:
        data["rank_of"] = None
    elif data.get("rank_of") and data["value"] > data["rank_of"]:
        raise ValidationError({"value": _("A rank cannot be beyond the number of units ranked "
                                          "(%(of)s).") % {"of": data["rank_of"]}})
    data["source"] = (data.get("source") or "").strip()
    data["quote"] = (data.get("quote") or "").strip()
    return check_kind(indicator, data)


def _taken(indicator: Indicator, data: dict[str, Any], exclude: int | None = None) -> None:
    others = Target.objects.filter(indicator=indicator, unit=data["unit"], year=data["year"],
                                   rank_of=data.get("rank_of"), kind=data["kind"])
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise ValidationError({"year": _("%(unit)s already has a target for %(year)s: change "
                                         "that one.") % {"unit": data["unit"].name,
                                                         "year": data["year"]}})


def plain_number(value: Decimal) -> str:
    """A stored number as typed: no trailing zeros, never an exponent (90, not 9E+1)."""
    return format(value.normalize(), "f")


def _plain(value: Any) -> Any:
    if hasattr(value, "path") and hasattr(value, "code"):  # a unit: by its code
        return value.code
    if isinstance(value, Decimal):
        return plain_number(value)
    return value


@transaction.atomic
def target_add(*, actor: Any, indicator: Indicator, unit: Unit, year: int, value: Any,
               baseline_year: int | None = None, baseline_value: Any = None,
               rank_of: int | None = None, source: str = "", **terms: Any) -> Target:
    """A new target of ``indicator`` for ``unit`` by ``year``; refused when that unit already
    has one of the kind for the year (in the same field, for a rank). ``terms``: the kind and
    what it reads (``target_checks.KIND_FIELDS``), the plan's quotation, illustrative."""
    require(actor, "indicators.define", unit)
    unknown = set(terms) - {*FIELDS, "is_illustrative"}
    if unknown:
        raise ValidationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    illustrative = bool(terms.pop("is_illustrative", False))
    data = _cleaned(indicator, {"unit": unit, "year": year, "value": value,
                                "baseline_year": baseline_year,
                                "baseline_value": baseline_value, "rank_of": rank_of,
                                "source": source, **terms})
    _taken(indicator, data)
    target = Target.objects.create(indicator=indicator, is_illustrative=illustrative, **data)
    audit_record(actor=actor, action=audit_events.TARGET_SET, obj=target, unit=unit,
                 details={"indicator": indicator.code,
                          **{k: _plain(v) for k, v in data.items() if v not in (None, "")}})
    return target


@transaction.atomic
def target_update(*, actor: Any, target: Target, **changes: Any) -> Target:
    """Change a target's unit, year, value, baseline, field size, source or terms; records each
    change (before and after). A change that changes nothing records nothing."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    target = Target.objects.select_for_update(of=("self",)).select_related("indicator", "unit").get(
        pk=target.pk)
    require(actor, "indicators.define", target.unit)
    if "unit" in changes and changes["unit"] != target.unit:
        require(actor, "indicators.define", changes["unit"])
    data = _cleaned(target.indicator, {**{f: getattr(target, f) for f in FIELDS}, **changes})
    diff = {field: {"from": _plain(getattr(target, field)), "to": _plain(value)}
            for field, value in data.items() if getattr(target, field) != value}
    if not diff:
        return target
    _taken(target.indicator, data, exclude=target.pk)
    for field, value in data.items():
        setattr(target, field, value)
    target.save()
    audit_record(actor=actor, action=audit_events.TARGET_UPDATED, obj=target, unit=target.unit,
                 details={"indicator": target.indicator.code, "changes": diff})
    return target


@transaction.atomic
def target_delete(*, actor: Any, target: Target) -> None:
    """Delete a target; its audit event keeps what it said."""
    target = Target.objects.select_for_update(of=("self",)).select_related("indicator", "unit").get(
        pk=target.pk)
    require(actor, "indicators.define", target.unit)
    audit_record(actor=actor, action=audit_events.TARGET_DELETED, obj=target, unit=target.unit,
                 details={"indicator": target.indicator.code,
                          **{f: _plain(getattr(target, f)) for f in FIELDS
                             if getattr(target, f) not in (None, "")}})
    target.delete()
