"""Reads on units. Each returns what a page or endpoint needs in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from tinhso.core.db import within_paths
from tinhso.core.languages import localized
from tinhso.core.memo import TimedCache
from tinhso.units.models import Level, Unit, valid_on_q

MERGER_DAY = date(2025, 7, 1)
UNITS: TimedCache[Unit] = TimedCache("units by code").clear_on_change(Unit)


def unit_by_code(code: str) -> Unit | None:
    """The unit with this code, or None; kept a short while per process (core.memo), as every
    submission asks it."""
    return UNITS.get(code, lambda: Unit.objects.filter(code=code).first())


def unit_get(code: str) -> Unit:
    """The unit with this code; Unit.DoesNotExist when there is none."""
    return Unit.objects.select_related("parent", "successor").get(code=code)


def units_by_code(codes: list[str]) -> dict[str, Unit]:
    """code -> unit, for these codes (one query)."""
    return Unit.objects.in_bulk(codes, field_name="code")


def all_units() -> QuerySet[Unit]:
    """Every unit, at any date: a queryset to refine, or the choices of a form field."""
    return Unit.objects.all()


def units_within(unit: Unit) -> QuerySet[Unit]:
    """``unit`` and every unit below it, at any date."""
    return Unit.objects.within(unit)


def units_matching(*, paths: Iterable[str] = (), codes: Iterable[str] = (),
                   ids: Iterable[int] = ()) -> QuerySet[Unit]:
    """The units at one of these paths, with one of these codes or one of these keys (one
    query; none when nothing is asked)."""
    condition = Q(pk__in=[])
    for lookup, values in (("path__in", paths), ("code__in", codes), ("pk__in", ids)):
        wanted = list(values)
        if wanted:
            condition |= Q(**{lookup: wanted})
    return Unit.objects.filter(condition)


def unit_ids_within(paths: Iterable[str]) -> list[int]:
    """The keys of the units at or below any of ``paths`` (a role's scope): a short list that
    lets another table be filtered on its own unit column, by index, without a join."""
    return list(Unit.objects.filter(within_paths("path", list(paths)))
                .values_list("pk", flat=True))


def units_below(unit: Unit | None) -> QuerySet[Unit]:
    """Every unit below ``unit`` (not the unit itself) at any date; every unit when None."""
    if unit is None:
        return Unit.objects.all()
    return Unit.objects.within(unit).exclude(pk=unit.pk)


def unit_list(
    *, level: str | None = None, parent: Unit | None = None, on: date | None = None,
    search: str = "",
) -> QuerySet[Unit]:
    qs = Unit.objects.select_related("parent", "successor")
    if level:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(parent=parent)
    if on is not None:
        qs = qs.valid_on(on)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__iexact=search))
    return qs.order_by("path")


def unit_children(unit: Unit, on: date | None = None) -> list[Unit]:
    qs = unit.children.select_related("successor")
    if on is not None:
        qs = qs.filter(valid_on_q(on))
    return list(qs.order_by("level", "name"))


@dataclass
class TreeNode:
    unit: Unit
    name: str
    children: list[TreeNode] = field(default_factory=list)

    @property
    def size(self) -> int:
        return 1 + sum(child.size for child in self.children)


LEVEL_ORDER = {level: i for i, level in enumerate(Level.values)}


def _shown_name(unit: Unit, on: date) -> str:
    """The name the unit had on ``on``; its current name in the page's language."""
    name = unit.name_on(on)
    return localized(unit) if name == unit.name else name


def unit_tree(on: date, root: Unit | None = None) -> list[TreeNode]:
    """The units valid on ``on`` as a tree (one query), children by level then name."""
    qs = Unit.objects.valid_on(on).select_related("successor")
    if root is not None:
        qs = qs.within(root)
    units = list(qs)
    nodes = {unit.pk: TreeNode(unit, _shown_name(unit, on)) for unit in units}
    roots: list[TreeNode] = []
    for unit in units:
        node = nodes[unit.pk]
        parent = nodes.get(unit.parent_id) if unit.parent_id else None
        (parent.children if parent is not None else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda n: (LEVEL_ORDER.get(n.unit.level, 99), n.unit.code
                                          if n.unit.level == Level.PROVINCE else n.name))
    return roots


@dataclass
class MergerRow:
    new: Unit
    members: list[Unit]


def merger_table() -> list[MergerRow]:
    """The 34 provinces from 1 July 2025, each with the provinces it was formed from."""
    after = (
        Unit.objects.filter(level=Level.PROVINCE).valid_on(MERGER_DAY)
        .prefetch_related(Prefetch(
            "predecessors", queryset=Unit.objects.filter(level=Level.PROVINCE).order_by("code")
        ))
        .order_by("code")
    )
    rows = []
    for province in after:
        members = list(province.predecessors.all())
        if province.valid_from is None or province.valid_from < MERGER_DAY:
            members = [province, *members]
        rows.append(MergerRow(province, sorted(members, key=lambda u: u.code)))
    return rows


def units_valid_within(unit: Unit, on: date) -> QuerySet[Unit]:
    """``unit`` and every unit below it, valid on ``on``."""
    return Unit.objects.within(unit).valid_on(on)


def units_among(*id_queries: QuerySet[Any]) -> QuerySet[Unit]:
    """The units whose key is in any of ``id_queries`` (subqueries of unit ids: one query)."""
    condition = Q(pk__in=[])
    for ids in id_queries:
        condition |= Q(pk__in=ids)
    return Unit.objects.filter(condition)
