"""Targets of the kinds a plan sets on a published index (Plan 4636/KH-UBND on the DTI): a rank
band (17th-19th of 34, inside the top 20), a score (at least 800 of 1,000 points), a count of
ranks (at least 4 of the 8 main indicators in the national top 10), a yearly climb (at least
1-2 places a year from the last published rank).

Pure Python: each rule takes the unit's published results and the target's terms and returns a
:class:`Verdict`, a status and the reason as a code with its figures (the pages put it in
words, ``indicators.target_status``).

Which result decides: only results up to the target year count. When the target year's own
result is published it decides (achieved, or off track: missed). Before it, the latest result
says where the unit stands: on track, at risk or off track by the rules below. A result of
another field (a rank among 63 read against a band among 34) decides nothing: unknown, with
the reason. "Not published" is never read as zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tinhso.indicators.progress import (
    ACHIEVED,
    AT_RISK,
    AT_RISK_SHARE,
    OFF_TRACK,
    ON_TRACK,
    UNKNOWN,
)

VALUE, BAND, SCORE, RANK_COUNT, CLIMB = "value", "rank_band", "score", "rank_count", "climb"
KINDS = (VALUE, BAND, SCORE, RANK_COUNT, CLIMB)
# Places a year a plan may reasonably expect to climb (Plan 4636: "at least 1-2 places a
# year"): a band within one place a year of the latest rank is on track, within two at risk.
STEADY_CLIMB = 1
FAST_CLIMB = 2


@dataclass(frozen=True)
class Published:
    """A unit's published result for a year: its rank in a field of ``of`` units, its index on
    the framework's 0-1 scale, and each main indicator's rank in the same field (None: not
    published; a None inside: that indicator's rank not published)."""

    year: int
    rank: int | None
    of: int | None
    total: float | None = None
    main_ranks: tuple[int | None, ...] | None = None


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str  # a code: the pages' words for it are in indicators.target_status
    figures: dict[str, Any] = field(default_factory=dict)


def _upto(results: Sequence[Published], year: int) -> list[Published]:
    return sorted((r for r in results if r.year <= year), key=lambda r: r.year)


def _final(result: Published, year: int) -> bool:
    return result.year >= year


def _ranked(results: Sequence[Published], year: int, of: int | None
            ) -> tuple[Published | None, Verdict | None]:
    """The latest rank of the field ``of`` up to ``year`` (a year ranked in two fields, 2024
    among 63 and among 34, gives the target's), or the verdict saying why there is none."""
    ranked = [r for r in _upto(results, year) if r.rank is not None]
    if not ranked:
        return None, Verdict(UNKNOWN, "no_rank", {"of": of})
    same = [r for r in ranked if of is None or r.of == of]
    if not same:
        latest = ranked[-1]
        return None, Verdict(UNKNOWN, "other_field", {"rank": latest.rank, "of": latest.of,
                                                       "year": latest.year, "field": of})
    return same[-1], None


def assess_band(results: Sequence[Published], low: int, high: int, of: int | None, year: int,
                top: int | None = None) -> Verdict:
    """Rank ``low``-``high`` of ``of`` by ``year`` (lower is better; a rank above the band
    meets it). ``top``: the group the band sits in (top 20): a rank inside it meets the plan's
    target even below the band. Before the target year: on track within one place a year of
    the band (or inside the top group), at risk within two a year, off track beyond."""
    latest, why = _ranked(results, year, of)
    if latest is None:
        return why  # type: ignore[return-value]
    rank = latest.rank or 0
    gap = rank - high  # places to climb to reach the band; <= 0: inside or above
    figures = {"rank": rank, "of": latest.of, "year": latest.year, "low": low, "high": high,
               "top": top, "gap": gap}
    where = ("band_above" if rank < low else "band_inside" if rank <= high
             else "band_below_in_top" if top is not None and rank <= top else "band_below")
    met = gap <= 0 or where == "band_below_in_top"
    if _final(latest, year):
        return Verdict(ACHIEVED if met else OFF_TRACK, where, figures)
    years = year - latest.year
    if gap <= years * STEADY_CLIMB:
        status = ON_TRACK
    elif gap <= years * FAST_CLIMB or met:
        status = AT_RISK
    else:
        status = OFF_TRACK
    return Verdict(status, where, figures)


def _trend(points: list[tuple[int, float]], year: int) -> float | None:
    """The least-squares line through (year, value) at ``year``; None under two points."""
    if len(points) < 2:
        return None
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if not sxx:
        return None
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    return my + slope * (year - mx)


def assess_score(results: Sequence[Published], points: float, scale: float, year: int
                 ) -> Verdict:
    """At least ``points`` of ``scale`` (800 of 1,000) by ``year``; a result's index is on the
    framework's 0-1 scale (0.7071 is 707.1 of 1,000). A rank published without its score says
    nothing of the score. Before the target year: on track when the trend of the published
    scores reaches the target by then, at risk when the latest is at least
    ``AT_RISK_SHARE`` of it, else off track."""
    upto = _upto(results, year)
    scored = [r for r in upto if r.total is not None]
    if not scored:
        latest = upto[-1] if upto else None
        return Verdict(UNKNOWN, "score_not_published" if latest else "no_score",
                       {"rank": latest.rank if latest else None,
                        "of": latest.of if latest else None,
                        "year": latest.year if latest else None, "target": points,
                        "scale": scale})
    latest = scored[-1]
    got = float(latest.total or 0) * scale
    figures = {"index": latest.total, "points": got, "scale": scale, "target": points,
               "year": latest.year, "short": max(points - got, 0.0)}
    reached = got >= points
    if _final(latest, year):
        return Verdict(ACHIEVED if reached else OFF_TRACK,
                       "score_reached" if reached else "score_short", figures)
    if reached:
        return Verdict(ON_TRACK, "score_reached", figures)
    projection = _trend([(r.year, float(r.total or 0) * scale) for r in scored], year)
    figures["projection"] = projection
    if projection is not None and projection >= points:
        status = ON_TRACK
    else:
        status = AT_RISK if got >= AT_RISK_SHARE * points else OFF_TRACK
    return Verdict(status, "score_short", figures)


def assess_rank_count(results: Sequence[Published], wanted: int, top: int, among: int,
                      of: int | None, year: int) -> Verdict:
    """At least ``wanted`` of the ``among`` main indicators ranked in the top ``top`` of the
    field ``of`` by ``year``. Unpublished ranks are not counted either way: while they could
    still make the count, the status is unknown. Before the target year, one indicator short is
    at risk, more is off track."""
    upto = [r for r in _upto(results, year) if r.main_ranks is not None]
    base = {"wanted": wanted, "top": top, "among": among}
    if not upto:
        return Verdict(UNKNOWN, "count_not_published", base)
    same = [r for r in upto if of is None or r.of == of]
    if not same:
        return Verdict(UNKNOWN, "other_field", {"rank": upto[-1].rank, "of": upto[-1].of,
                                                "year": upto[-1].year, "field": of})
    latest = same[-1]
    known = [r for r in (latest.main_ranks or ()) if r is not None]
    inside = sum(1 for r in known if r <= top)
    missing = max(among - len(known), 0)
    figures = {**base, "count": inside, "year": latest.year, "missing": missing,
               "short": max(wanted - inside, 0)}
    if inside >= wanted:
        return Verdict(ACHIEVED if _final(latest, year) else ON_TRACK, "count_reached", figures)
    if inside + missing >= wanted and missing:
        return Verdict(UNKNOWN, "count_partial", figures)
    if _final(latest, year):
        return Verdict(OFF_TRACK, "count_short", figures)
    return Verdict(AT_RISK if wanted - inside == 1 else OFF_TRACK, "count_short", figures)


def assess_climb(results: Sequence[Published], places: int, of: int | None, year: int,
                 places_high: int | None = None) -> Verdict:
    """At least ``places`` a year (``places_high``: the plan's upper figure, "1-2") from the
    last published rank, ranks of the field ``of`` up to ``year``: the last two published
    ranks of that field, per year between them. First place has nowhere to climb: achieved.
    Climbing less than wanted (or holding) is at risk; falling is off track."""
    latest, why = _ranked(results, year, of)
    if latest is None:
        return why  # type: ignore[return-value]
    same = [r for r in _upto(results, year) if r.rank is not None and r.of == latest.of]
    figures: dict[str, Any] = {"rank": latest.rank, "of": latest.of, "year": latest.year,
                               "places": places, "places_high": places_high}
    if latest.rank == 1:
        return Verdict(ACHIEVED, "climb_first", figures)
    if len(same) < 2:
        return Verdict(UNKNOWN, "climb_once", figures)
    before = same[-2]
    climbed = (before.rank or 0) - (latest.rank or 0)
    per_year = climbed / (latest.year - before.year)
    figures.update(before_rank=before.rank, before_year=before.year, climbed=climbed,
                   per_year=per_year)
    if per_year >= places:
        return Verdict(ACHIEVED, "climb_reached", figures)
    if climbed >= 0:
        return Verdict(AT_RISK, "climb_short" if climbed else "climb_held", figures)
    return Verdict(OFF_TRACK, "climb_fell", figures)
