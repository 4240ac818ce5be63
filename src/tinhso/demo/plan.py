"""Plan 4636/KH-UBND's targets and goals (published facts, ``programme.json``: ``plan_targets``
and ``plan_goals``): each target set through the target services (permission, checks, audit;
a target already there is changed only where the file differs), each goal measured by its
target, and the goals it replaces (16-NQ/TU's DTI ranks, set among 63) kept as history,
marked superseded by it."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from tinhso.core.db import upsert
from tinhso.indicators.models import Indicator, Target
from tinhso.indicators.target_services import target_add, target_update
from tinhso.programme.models import Document, Goal
from tinhso.units.models import Unit

DATA = Path(__file__).resolve().parent / "data" / "programme.json"
TERMS = ("value", "value_high", "top", "among", "scale", "framework", "baseline_year",
         "baseline_value", "source", "quote")


def _target(actor: Any, row: dict[str, Any], units: dict[str, Unit],
            indicators: dict[str, Indicator], counts: Counter[str]) -> Target:
    indicator, unit = indicators[row["indicator"]], units[row["unit"]]
    terms: dict[str, Any] = {k: row.get(k) for k in TERMS}
    there = Target.objects.filter(indicator=indicator, unit=unit, year=row["year"],
                                  kind=row["kind"], rank_of=row.get("rank_of")).first()
    if there is None:
        counts["created"] += 1
        return target_add(actor=actor, indicator=indicator, unit=unit, year=row["year"],
                          kind=row["kind"], rank_of=row.get("rank_of"), **terms)
    before = there.pk, there.value, there.value_high, there.source, there.quote
    there = target_update(actor=actor, target=there, **terms)
    counts["same" if (there.pk, there.value, there.value_high, there.source,
                      there.quote) == before else "updated"] += 1
    return there


def load_plan(actor: Any, units: dict[str, Unit]) -> Counter[str]:
    """The plan's targets and goals, and the goals they supersede; a second run changes
    nothing."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    counts: Counter[str] = Counter()
    indicators = {i.code: i for i in Indicator.objects.filter(
        code__in={row["indicator"] for row in data["plan_targets"]})}
    targets = {row["key"]: _target(actor, row, units, indicators, counts)
               for row in data["plan_targets"]}
    documents = {d.number: d for d in Document.objects.filter(
        number__in={row["document"] for row in data["plan_goals"]}
        | {row["supersedes"]["document"] for row in data["plan_goals"]
           if row.get("supersedes")})}
    for row in data["plan_goals"]:
        target = targets[row["target"]]
        goal, outcome = upsert(Goal, {"document": documents[row["document"]],
                                      "unit": units[row["unit"]], "year": row["year"],
                                      "target": target},
                               {"text": row["text"], "text_en": row["text_en"],
                                "quote": row["quote"], "indicator": target.indicator,
                                "target_rank": None})
        counts[outcome] += 1
        old = row.get("supersedes")
        if old:
            counts[upsert(Goal, {"document": documents[old["document"]],
                                 "unit": units[row["unit"]], "year": old["year"],
                                 "target": None}, {"superseded_by": goal})[1]] += 1
    return counts
