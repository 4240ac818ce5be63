"""Writes on units. Each function is one transaction that checks permission and records audit."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import require
from tinhso.audit.services import audit_record
from tinhso.units import audit_events
from tinhso.units.models import Level, Unit

EDITABLE_FIELDS = (
    "name", "name_en", "kind", "level", "parent", "valid_from", "valid_to", "successor",
    "code_is_official", "former_names", "attributes", "source", "is_illustrative",
)


def _path_for(code: str, parent: Unit | None) -> tuple[str, int]:
    if parent is None:
        return f"/{code}/", 0
    return f"{parent.path}{code}/", parent.depth + 1


def _place(unit: Unit, parent: Unit | None) -> None:
    """Set the unit's path and depth under ``parent``, refusing to put it below itself."""
    if parent is not None and unit.pk is not None and unit.path and (
        parent.path.startswith(unit.path)
    ):
        raise ValidationError({"parent": _("A unit cannot be placed below itself.")})
    unit.path, unit.depth = _path_for(unit.code, parent)


def _validate(unit: Unit) -> None:
    if "/" in unit.code or not unit.code.strip():
        raise ValidationError({"code": _("A unit code must not be empty or contain '/'.")})
    if unit.successor_id is not None and unit.successor_id == unit.pk:
        raise ValidationError({"successor": _("A unit cannot succeed itself.")})
    if unit.valid_from and unit.valid_to and unit.valid_to < unit.valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    unit.full_clean(exclude=["path", "depth", "parent", "successor"])


@transaction.atomic
def unit_create(*, actor: Any, code: str, name: str, level: str, parent: Unit | None = None,
                **fields: Any) -> Unit:
    require(actor, "units.manage", parent)
    unit = Unit(code=code.strip(), name=name.strip(), level=level, parent=parent, **fields)
    unit.path, unit.depth = _path_for(unit.code, parent)
    _validate(unit)
    unit.save()
    audit_record(actor=actor, action=audit_events.UNIT_CREATED, obj=unit, unit=unit,
                 details=unit.as_event_details())
    return unit


def _move_subtree(unit: Unit, old_path: str) -> None:
    """Rewrite the paths below a unit whose parent changed: one UPDATE for the whole subtree."""
    shift = unit.depth - (old_path.count("/") - 2)
    descendants = Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk)
    descendants.update(
        path=Concat(Value(unit.path), Substr("path", len(old_path) + 1)),
    )
    if shift:
        for child in Unit.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk):
            child.depth = child.path.count("/") - 2
            child.save(update_fields=["depth"])


@transaction.atomic
def unit_update(*, actor: Any, unit: Unit, **changes: Any) -> Unit:
    """Change a unit's fields; moving it moves its subtree. Records what changed, before/after."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    require(actor, "units.manage", unit)
    if "parent" in changes and changes["parent"] is not None:
        require(actor, "units.manage", changes["parent"])
    before = unit.as_event_details()
    diff: dict[str, Any] = {}
    for field, value in changes.items():
        old = getattr(unit, field)
        if old != value:
            diff[field] = {"from": _plain(old), "to": _plain(value)}
            setattr(unit, field, value)
    if not diff:
        return unit
    old_path = unit.path
    if "parent" in diff:
        _place(unit, unit.parent)
    _validate(unit)
    unit.save()
    if unit.path != old_path:
        _move_subtree(unit, old_path)
    audit_record(actor=actor, action=audit_events.UNIT_UPDATED, obj=unit, unit=unit,
                 details={"changes": diff, "before": before})
    return unit


def _plain(value: Any) -> Any:
    if isinstance(value, Unit):
        return value.code
    if isinstance(value, date):
        return value.isoformat()
    return value


def unit_upsert(*, code: str, parent: Unit | None, defaults: dict[str, Any]) -> tuple[Unit, str]:
    """Create or bring a unit up to date, for loaders; returns (unit, 'created'|'updated'|'same').

    Called inside a loader's transaction, which checks permission once and records one event.
    Only fields that differ are written, so loading twice changes nothing.
    """
    path, depth = _path_for(code, parent)
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        unit = Unit(code=code, parent=parent, path=path, depth=depth, **defaults)
        _validate(unit)
        unit.save()
        return unit, "created"
    changed = False
    for field, value in {"parent": parent, **defaults}.items():
        if getattr(unit, field) != value:
            setattr(unit, field, value)
            changed = True
    if not changed:
        return unit, "same"
    old_path = unit.path
    _place(unit, parent)
    _validate(unit)
    unit.save()
    if unit.path != old_path:
        _move_subtree(unit, old_path)
    return unit, "updated"


__all__ = ["Level", "unit_create", "unit_update", "unit_upsert"]
