"""A framework scored from the platform's own records (``inputs_from: indicators``, Decision 766),
opened item by item for a unit and year: each item's input with the counts it is a ratio of and
where they come from, its rule in words, its points; an input without a source says so with the
framework's missing policy; an item whose sources conflict names the rule not chosen."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from tinhso.core.languages import active_language, localized
from tinhso.indicators.formula import parse
from tinhso.indicators.selectors import Computed, compute, indicators_matching
from tinhso.scoring.engine import Component, Framework, score

if TYPE_CHECKING:
    from tinhso.units.models import Unit


@dataclass(frozen=True)
class Term:
    """An indicator behind an item: its code, name, value (None: no value) and source."""

    code: str
    name: str
    value: float | None
    source: str


@dataclass(frozen=True)
class ItemLine:
    group: str
    part: str
    ref: str
    name: str
    max_points: float
    rule: str
    input: Term
    basis: list[Term]  # the counts the input is a ratio of (and the count "nothing" reads)
    points: float | None  # None: no source yet
    policy: str  # what a missing input scores, said ("" when the input is there)
    empty: bool  # nothing to count: the rule's share for that case was given
    source: str
    alternative: str
    notes: list[str] = field(default_factory=list)


def _percent(value: float) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if active_language() == "vi" else text


def rule_words(component: Component) -> str:
    """The item's rule in the page's language."""
    rule, points = component.rule, f"{component.max_points:g}"
    if component.max_points == 0:
        return _("Tracked by the portal, not scored (0 points).")
    kind = rule["type"]
    if kind == "linear":
        text = _("%(max)s × rate / 100 (at most %(max)s points).") % {"max": points}
    elif kind == "threshold":
        text = _("Full %(max)s points from %(t)s %%; below: rate × %(max)s / %(t)s.") % {
            "max": points, "t": _percent(float(rule["threshold"]))}
    else:
        text = _("Rule %(kind)s over %(max)s points.") % {"kind": kind, "max": points}
    if "empty_when" in rule:
        text += " " + _("Nothing to count: %(share)s %% of the points.") % {
            "share": _percent(float(rule.get("empty_share", 1)) * 100)}
    return text


def _term(code: str, computed: Computed, unit: Unit, period: str, names: dict[str, str],
          sources: dict[str, str]) -> Term:
    return Term(code, names.get(code, code), computed.value(code, unit, period),
                sources.get(code, _("no such indicator in the catalogue")))


def _basis_codes(component: Component, formulas: dict[str, str]) -> list[str]:
    rate = component.rule.get("input", component.code)
    formula = formulas.get(rate, "")
    codes = sorted(parse(formula).codes, key=formula.find) if formula else []
    if "empty_when" in component.rule and component.rule["empty_when"] not in codes:
        codes.append(component.rule["empty_when"])
    return codes


def explain_from_indicators(framework: Framework, year: int, unit: Unit) -> list[ItemLine]:
    """Every item of ``unit``'s score for ``year`` from its indicator values."""
    period = str(year)
    catalogue = {i.code: i for i in indicators_matching(codes=framework.inputs)}
    formulas = {c: i.formula for c, i in catalogue.items() if i.formula}
    basis = {c.code: _basis_codes(c, formulas) for i in framework.indicators
             for c in i.components}
    for codes in basis.values():
        catalogue.update({i.code: i for i in indicators_matching(codes=codes)
                          if i.code not in catalogue})
    names = {c: localized(i) for c, i in catalogue.items()}
    sources = {c: (_("formula: %(f)s") % {"f": i.formula}) if i.formula else
               _("counted from the platform's records") for c, i in catalogue.items()}
    computed = compute(codes=list(catalogue), periods=[period], root=unit)
    scores = score(framework, [unit.code], {c: [computed.value(c, unit, period)]
                                            for c in framework.inputs})
    lines = []
    for indicator in framework.indicators:
        parts = {p["code"]: p for p in indicator.parts}
        for c in indicator.components:
            share = float(scores.components[c.code][0])
            rate = c.rule.get("input", c.code)
            term = _term(rate, computed, unit, period, names, sources)
            counts = [_term(b, computed, unit, period, names, sources) for b in basis[c.code]]
            empty = term.value is None and any(
                t.code == c.rule.get("empty_when") and t.value == 0 for t in counts)
            missing = math.isnan(share)
            part = parts.get(c.meta.get("part", ""))
            lines.append(ItemLine(
                localized(indicator), localized(part) if part else "", c.meta.get("ref", ""),
                c.meta.get("name_en", "") if active_language() != "vi" and c.meta.get("name_en")
                else c.name, c.max_points, rule_words(c), term, counts,
                None if missing else share * c.max_points,
                _missing_policy(framework, c) if missing and c.max_points else "", empty,
                c.meta.get("source", ""), c.meta.get("alternative", ""),
                [n for n in (c.meta.get("missing_note", ""), c.meta.get("note", "")) if n]))
    return lines


def _missing_policy(framework: Framework, component: Component) -> str:
    if framework.missing == "zero":
        return _("No source yet: scored 0 of %(max)s (the framework's missing-data policy: "
                 "zero).") % {"max": f"{component.max_points:g}"}
    return _("No source yet: left out and the other items' weights scaled up (the "
             "framework's missing-data policy: reweight).")


def total_points(framework: Framework, lines: list[ItemLine]) -> float:
    """The score as the lines add up (a missing item counts by the policy: 0 under zero)."""
    return sum(line.points or 0.0 for line in lines)
