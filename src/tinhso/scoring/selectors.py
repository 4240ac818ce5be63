from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from tinhso.core.four_eyes import wrote_it
from tinhso.core.languages import in_language, localized
from tinhso.indicators.selectors import Computed, compute
from tinhso.scoring.engine import (
    Framework,
    FrameworkError,
    Scores,
    load_framework,
    merge_members,
    rank,
    score,
)
from tinhso.scoring.models import (
    PublishedResult,
    RankBasis,
    ScoreInput,
    SelfAssessmentAnswer,
)
from tinhso.units.selectors import units_by_code

if TYPE_CHECKING:
    from tinhso.units.models import Unit


def wrote_answer(user: Any, answer: SelfAssessmentAnswer) -> bool:
    """Four eyes: True when ``user`` gave ``answer``, so another person verifies it."""
    return wrote_it(getattr(user, "pk", None), (answer.answered_by_id,))


def answered_by(user: Any) -> Q:
    """The query form of :func:`wrote_answer`: the answers ``user`` gave."""
    pk = getattr(user, "pk", None)
    return Q(pk__in=[]) if pk is None else Q(answered_by_id=pk)


@dataclass(frozen=True)
class RankingRow:
    rank: int
    unit: Unit
    name: str
    total: Decimal | None
    recomputed: Decimal | None
    values: dict[str, str]
    field_size: int = 0  # how many units the ranking compared (63, 34)
    rank_to: int | None = None  # the worst place, when the rank is known as a range only
    rank_basis: str = RankBasis.PUBLISHED  # published, inferred or derived
    rank_note: str = ""  # the qualification as the source wrote it
    total_note: str = ""  # an index published only as a range
    source: str = ""

    @property
    def rank_text(self) -> str:
        """'16/34', '32–34/34'."""
        places = f"{self.rank}–{self.rank_to}" if self.rank_to else str(self.rank)
        return f"{places}/{self.field_size}" if self.field_size else places

    @property
    def qualified(self) -> bool:
        """The rank is not plainly published: a range, inferred or derived."""
        return bool(self.rank_to) or self.rank_basis != RankBasis.PUBLISHED


def _row(r: PublishedResult) -> RankingRow:
    # the name as published, or the unit's English name on a page in English
    return RankingRow(r.rank, r.unit, in_language(r.published_name or r.unit.name,
                                                  r.unit.name_en),
                      r.total, r.recomputed, r.values, r.field_size, r.rank_to, r.rank_basis,
                      r.rank_note, r.total_note, r.source)


def result_fields(framework: str, year: int) -> list[int]:
    """The field sizes a framework's year was ranked in, smallest (the latest map) first:
    [34, 63] for 2024, whose assessment was ranked among the 34 provinces and the 63."""
    return sorted(set(PublishedResult.objects.filter(framework=framework, year=year)
                      .values_list("field_size", flat=True)))


def ranking(framework: str, year: int, field_size: int | None = None) -> list[RankingRow]:
    """The published ranking of a framework and year in one field (by default the first of
    :func:`result_fields`), by rank (two queries)."""
    if field_size is None:
        fields = result_fields(framework, year)
        if not fields:
            return []
        field_size = fields[0]
    results = PublishedResult.objects.filter(
        framework=framework, year=year, field_size=field_size).select_related(
        "unit").order_by("rank", "unit__code")
    return [_row(r) for r in results]


def with_full_values(framework: Framework, rows: list[RankingRow]) -> list[RankingRow]:
    """The rows whose every weighted main indicator was published."""
    return [r for r in rows if r.values and all(
        r.values.get(i.code) for i in framework.indicators if i.weight > 0)]


def imported_years(framework: str) -> list[tuple[int, int, datetime, int]]:
    """(year, results, last imported, field size) for each result set of a framework."""
    return [(row["year"], row["n"], row["last"], row["field_size"])
            for row in PublishedResult.objects.filter(framework=framework)
            .values("year", "field_size").annotate(n=Count("id"), last=Max("imported_at"))
            .order_by("-year", "field_size")]


def years_with_results(framework: str) -> list[int]:
    return sorted(set(PublishedResult.objects.filter(framework=framework)
                      .values_list("year", flat=True)), reverse=True)


@dataclass(frozen=True)
class UnitAssessment:
    unit: Unit
    scores: Scores
    inputs: list[ScoreInput]

    @property
    def illustrative(self) -> bool:
        return any(i.is_illustrative for i in self.inputs)


def unit_assessment(framework: Framework, year: int, unit: Unit,
                    overrides: dict[str, float] | None = None) -> UnitAssessment | None:
    """The unit's score from its own inputs (with what-if ``overrides``); None without inputs."""
    inputs = list(ScoreInput.objects.filter(framework=framework.code, year=year, unit=unit))
    if not inputs:  # the published values, where a national body published them
        published = PublishedResult.objects.filter(framework=framework.code, year=year,
                                                   unit=unit).first()
        if published is None or not published.values:
            return None
        inputs = [ScoreInput(framework=framework.code, year=year, unit=unit, code=code,
                             value=float(value), source=published.source)
                  for code, value in published.values.items()]
    values = {i.code: i.value for i in inputs}
    values.update(overrides or {})
    scores = score(framework, [unit.code], {c: [values.get(c, np.nan)] for c in framework.inputs})
    return UnitAssessment(unit, scores, inputs)


@dataclass(frozen=True)
class ComputedRanking:
    framework: Framework
    period: str
    units: list[Unit]
    scores: Scores
    ranks: list[int]
    inputs_found: list[str]
    inputs_missing: list[str]
    unranked: list[Unit] = field(default_factory=list)  # no inputs at all: not ranked


def scores_from_indicators(framework: Framework, units: Sequence[Unit], period: str, *,
                           root: Unit | None = None, computed: Computed | None = None
                           ) -> ComputedRanking:
    """Score and rank ``units`` from the platform's own indicator values for ``period`` (a
    framework input with no indicator counts as missing). ``computed``: values already
    computed for ``root`` (those units within it) with the framework's inputs among them;
    otherwise computed here (a fixed number of queries)."""
    if computed is None:
        computed = compute(codes=framework.inputs, periods=[period], root=root)
    found = sorted(c for c in set(framework.inputs) if c in computed.matrices)
    inputs = {code: [computed.value(code, u, period) if code in computed.matrices else None
                     for u in units] for code in framework.inputs}
    scores = score(framework, [u.code for u in units], inputs)
    return ComputedRanking(framework, period, list(units), scores, rank(scores.total).tolist(),
                           found, sorted(set(framework.inputs) - set(found)))


def ranking_from_inputs(framework: Framework, year: int, parent: Unit, on: date
                        ) -> ComputedRanking:
    """Score and rank the units below ``parent`` from their verified inputs (self-assessment)
    for ``year``. Only units with at least one verified input are scored and ranked (among
    themselves); the others are ``unranked``: no answers yet, which is not a score of zero."""
    children = list(parent.children.valid_on(on).order_by("level", "name"))
    values: dict[tuple[int, str], float] = {
        (i.unit_id, i.code): i.value for i in ScoreInput.objects.filter(
            framework=framework.code, year=year, unit__in=children)}
    answered = {unit_id for (unit_id, _code) in values}
    units = [u for u in children if u.pk in answered]
    inputs = {code: [values.get((u.pk, code)) for u in units] for code in framework.inputs}
    scores = score(framework, [u.code for u in units], inputs)
    found = sorted({code for (_unit, code) in values})
    return ComputedRanking(framework, str(year), units, scores, rank(scores.total).tolist(),
                           found, sorted(set(framework.inputs) - set(found)),
                           [u for u in children if u.pk not in answered])


@dataclass(frozen=True)
class ComponentLine:
    indicator: str
    component: str
    max_points: float
    rule: str
    inputs: list[tuple[str, float | None, str]]  # (code, value, source)
    share: float | None

    @property
    def points(self) -> float | None:
        return None if self.share is None else self.share * self.max_points


def explain_components(framework: Framework, year: int, unit: Unit) -> list[ComponentLine]:
    """Every component of the unit's score: its inputs, their values and sources, its points."""
    inputs = {i.code: i for i in ScoreInput.objects.filter(framework=framework.code, year=year,
                                                           unit=unit)}
    answers = {a.code: a for a in SelfAssessmentAnswer.objects.filter(
        framework=framework.code, year=year, unit=unit)}
    scores = score(framework, [unit.code], {c: [inputs[c].value if c in inputs else None]
                                            for c in framework.inputs})
    lines = []
    for indicator in framework.indicators:
        for component in indicator.components:
            share = scores.components.get(component.code)
            value = None if share is None or np.isnan(share[0]) else float(share[0])
            detail = []
            for code in component.inputs:
                source = inputs[code].source if code in inputs else ""
                if code in answers and answers[code].evidence:
                    source += " · " + str(_("evidence attached"))
                detail.append((code, inputs[code].value if code in inputs else None, source))
            lines.append(ComponentLine(localized(indicator), component.name, component.max_points,
                                       component.rule["type"], detail, value))
    return lines


def merged_ranking(framework: Framework, year: int) -> list[tuple[int, Unit, float]]:
    """Published values compared across the 2025 merger: each province from 1 July 2025 gets
    the average of its members' main indicators (as the national ranking did), then is scored
    and ranked. Only units whose main indicators were published take part."""
    results = list(PublishedResult.objects.filter(framework=framework.code, year=year)
                   .exclude(values={}).select_related("unit__successor"))
    values = {r.unit.code: {k: float(v) for k, v in r.values.items()} for r in results}
    successor = {r.unit.code: r.unit.successor.code for r in results if r.unit.successor}
    merged = merge_members(values, successor)
    units = units_by_code(list(merged))
    codes = list(merged)
    scores = score(framework, codes, {i: [merged[c].get(i) for c in codes]
                                      for i in framework.inputs})
    ranks = rank(scores.total)
    return sorted(((int(ranks[k]), units[c], float(scores.total[k])) for k, c in
                   enumerate(codes)), key=lambda row: (row[0], row[1].code))


@dataclass(frozen=True)
class ResultPoint:
    """A unit's published result of a year with its field: rank ``rank`` of ``of``, the index
    (None: not published), and each main indicator's rank in that field, in the framework's
    order (None: not published; the whole tuple None when no main indicator's rank can be
    read)."""

    year: int
    rank: int
    of: int
    total: Decimal | None
    main_ranks: tuple[int | None, ...] | None
    source: str


def _main_ranks(mine: dict[str, Any], field: list[dict[str, Any]], codes: list[str]
                ) -> tuple[int | None, ...] | None:
    """Each main indicator's rank among the field, where every unit of it has a published
    value of that indicator (a rank read from some values only would be invented)."""
    ranks: list[int | None] = []
    for code in codes:
        values = [v.get(code) for v in field]
        if mine.get(code) in (None, "") or any(v in (None, "") for v in values):
            ranks.append(None)
            continue
        own = float(mine[code])
        ranks.append(1 + sum(float(v) > own for v in values if v is not None))
    return tuple(ranks) if any(r is not None for r in ranks) else None


def result_history(framework: str, unit: Unit, main_codes: Sequence[str] = ()
                   ) -> list[ResultPoint]:
    """The unit's published results of ``framework``, oldest first, each with its field size
    (as published: 34 or 63, however many results were found) and its main indicators' ranks
    (``main_codes``: their order; by default the framework's, those carrying points). Two
    queries, however many years."""
    mine = list(PublishedResult.objects.filter(framework=framework, unit=unit)
                .order_by("year", "-field_size"))  # a year's latest map (34 after 63) last
    if not mine:
        return []
    years = [r.year for r in mine]
    fields: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for year, size, values in PublishedResult.objects.filter(
            framework=framework, year__in=years).values_list("year", "field_size", "values"):
        fields.setdefault((year, size), []).append(values or {})
    codes = list(main_codes)
    if not codes:
        try:
            codes = [i.code for i in load_framework(framework).indicators if i.weight > 0]
        except FrameworkError:
            codes = sorted({c for r in mine for c in (r.values or {})})
    whole = {key: rows for key, rows in fields.items() if len(rows) == key[1]}  # every unit
    return [ResultPoint(r.year, r.rank, r.field_size, r.total,
                        _main_ranks(r.values or {}, whole[(r.year, r.field_size)], codes)
                        if (r.year, r.field_size) in whole else None, r.source)
            for r in mine]
