"""The status of a plan's kinds of target (a rank band, a score, a count of ranks, a yearly
climb) from the latest published results of their index (``scoring.selectors``), by the pure
rules of ``target_kinds``, with the reason and the target's terms in the page's words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from tinhso.core.numbers import format_number
from tinhso.indicators import target_kinds as rules
from tinhso.indicators.models import Measure, TargetKind
from tinhso.indicators.progress import NOT_COMPARABLE, Progress
from tinhso.indicators.target_kinds import Published, Verdict
from tinhso.scoring.selectors import ResultPoint, result_history

if TYPE_CHECKING:
    from tinhso.indicators.models import Target
    from tinhso.units.models import Unit


@dataclass(frozen=True)
class KindStatus:
    target: Target
    status: str
    reason: str  # in the page's language
    terms: str
    verdict: Verdict


# Letters only Vietnamese writes (ă, â, đ, ê, ô, ơ, ư and the tone-marked vowels).
VIETNAMESE = set("ăâđêôơưĂÂĐÊÔƠƯ") | {chr(c) for c in range(0x1EA0, 0x1EFA)}


def text_language(text: str) -> str:
    """'vi' for a text with Vietnamese letters, else 'en': a plan quoted in its own words
    (the Vietnamese text, or the English summary where only that could be read) is marked with
    its language on either page."""
    return "vi" if any(ch in VIETNAMESE for ch in text) else "en"


def _lang() -> str:
    return (get_language() or "vi").split("-")[0]


def _n(value: Any, decimals: int = 0) -> str:
    return format_number(value, decimals, _lang())


def _published(points: Iterable[ResultPoint]) -> list[Published]:
    return [Published(p.year, p.rank, p.of or None,
                      float(p.total) if p.total is not None else None, p.main_ranks)
            for p in points]


def verdict_of(target: Target, results: list[Published]) -> Verdict:
    """The pure rule of the target's kind over the unit's published results."""
    of, year = target.rank_of, target.year
    high = int(target.value_high) if target.value_high is not None else None
    if target.kind == TargetKind.BAND:
        return rules.assess_band(results, int(target.value), high or int(target.value), of,
                                 year, target.top)
    if target.kind == TargetKind.SCORE:
        return rules.assess_score(results, float(target.value), float(target.scale or 1), year)
    if target.kind == TargetKind.RANK_COUNT:
        return rules.assess_rank_count(results, int(target.value), target.top or 0,
                                       target.among or 0, of, year)
    return rules.assess_climb(results, int(target.value), of, year, high)


def kind_statuses(targets: Iterable[Target], unit: Unit) -> dict[int, KindStatus]:
    """target id -> its status, for the targets of a plan's kind (the others are left out):
    one read of each index's results for ``unit``."""
    targets = [t for t in targets if t.kind != TargetKind.VALUE]
    histories = {code: _published(result_history(code, unit))
                 for code in {t.framework for t in targets}}
    out = {}
    for target in targets:
        verdict = verdict_of(target, histories[target.framework])
        out[target.pk] = KindStatus(target, verdict.status, reason_text(verdict),
                                    terms_text(target), verdict)
    return out


def terms_text(target: Target) -> str:
    """What the target asks, in the plan's own unit: "17th-19th of 34 (inside the top 20) by
    2025", "at least 800/1,000 points by 2025"..."""
    f = {"value": _n(target.value, 0), "high": _n(target.value_high, 0), "of": target.rank_of,
         "year": target.year, "top": target.top, "among": target.among,
         "scale": _n(target.scale, 0)}
    if target.kind == TargetKind.BAND and target.value == 1:
        return _("top %(high)s of %(of)s by %(year)s") % f
    if target.kind == TargetKind.BAND:
        text = _("rank %(value)s-%(high)s of %(of)s by %(year)s") % f
        return text + (" " + _("(inside the top %(top)s)") % f if target.top else "")
    if target.kind == TargetKind.SCORE:
        return _("at least %(value)s/%(scale)s points by %(year)s") % f
    if target.kind == TargetKind.RANK_COUNT:
        return _("at least %(value)s of %(among)s main indicators in the top %(top)s of %(of)s "
                 "by %(year)s") % f
    if target.kind == TargetKind.CLIMB:
        if target.value_high is not None and target.value_high != target.value:
            return _("at least %(value)s-%(high)s places a year (of %(of)s) until %(year)s") % f
        return _("at least %(value)s places a year (of %(of)s) until %(year)s") % f
    if target.indicator.measure == Measure.RANK:
        return (_("top %(value)s of %(of)s by %(year)s") if target.rank_of
                else _("top %(value)s by %(year)s")) % f
    return _("%(value)s by %(year)s") % {
        "value": _n(target.value, target.indicator.decimals), "year": target.year}


def _top(code: str, f: dict[str, Any], where: str) -> str:
    """A band from first place: the top ``high``."""
    if code in ("band_inside", "band_above"):
        return _("%(where)s: inside the top %(high)s") % {**f, "where": where}
    return ngettext("%(where)s: %(gap)s place below the top %(high)s",
                    "%(where)s: %(gap)s places below the top %(high)s", f["gap"]
                    ) % {**f, "where": where}


def _band(code: str, f: dict[str, Any]) -> str:
    where = _("%(rank)s/%(of)s in %(year)s") % f
    if f["low"] == 1:
        return _top(code, f, where)
    if code == "band_inside":
        return _("%(where)s: inside the %(low)s-%(high)s band") % {**f, "where": where}
    if code == "band_above":
        return (_("%(where)s: inside the top %(top)s, above the %(low)s-%(high)s band")
                if f["top"] else _("%(where)s: above the %(low)s-%(high)s band")
                ) % {**f, "where": where}
    text = ngettext("%(gap)s place below the %(low)s-%(high)s band",
                    "%(gap)s places below the %(low)s-%(high)s band", f["gap"]) % f
    if code == "band_below_in_top":
        return _("%(where)s: inside the top %(top)s, %(text)s") % {**f, "where": where,
                                                                    "text": text}
    return f"{where}: {text}"


def _score(code: str, f: dict[str, Any]) -> str:
    if code in ("score_not_published", "no_score"):
        if f.get("rank") is None:
            return _("score: not published")
        return _("%(rank)s/%(of)s in %(year)s published without its score") % f
    g = {**f, "index": _n(f["index"], 4), "points": _n(f["points"]), "scale": _n(f["scale"]),
         "target": _n(f["target"]), "short": _n(f["short"])}
    if code == "score_reached":
        return _("score %(index)s in %(year)s (%(points)s/%(scale)s), at or above %(target)s") % g
    return _("score %(index)s in %(year)s (%(points)s/%(scale)s), %(short)s points short of "
             "%(target)s") % g


def _count(code: str, f: dict[str, Any]) -> str:
    if code == "count_not_published":
        return _("main indicators in the top %(top)s: not published") % f
    if code == "count_reached":
        return _("%(count)s of %(among)s main indicators in the top %(top)s in %(year)s (at "
                 "least %(wanted)s wanted)") % f
    if code == "count_partial":
        return _("%(count)s of %(among)s main indicators in the top %(top)s in %(year)s; "
                 "%(missing)s not published") % f
    return _("%(count)s of %(among)s main indicators in the top %(top)s in %(year)s, "
             "%(short)s short of %(wanted)s") % f


def _climb(code: str, f: dict[str, Any]) -> str:
    if code == "climb_first":
        return _("first of %(of)s in %(year)s: no place above to climb") % f
    if code == "climb_once":
        return _("%(rank)s/%(of)s in %(year)s: no earlier rank among %(of)s to climb from") % f
    g = {**f, "per_year": _n(f["per_year"], 1), "fell": -f["climbed"]}
    span = _("from %(before_rank)s/%(of)s in %(before_year)s to %(rank)s/%(of)s in %(year)s") % g
    if code == "climb_held":
        return _("%(span)s: held its place (at least %(places)s a year wanted)") % {
            **g, "span": span}
    if code == "climb_fell":
        return _("%(span)s: fell %(fell)s places") % {**g, "span": span}
    return _("%(span)s: %(per_year)s places a year (at least %(places)s wanted)") % {
        **g, "span": span}


def reason_text(verdict: Verdict) -> str:
    """The verdict's reason in the page's language, with its figures."""
    code, f = verdict.reason, verdict.figures
    if code == "no_rank":
        return (_("no published rank among %(of)s yet") % f if f.get("of")
                else _("no published rank yet"))
    if code == "other_field":
        return _("%(rank)s/%(of)s in %(year)s was ranked among %(of)s; the target is set "
                 "among %(field)s") % f
    if code.startswith("band_"):
        return _band(code, f)
    if code.startswith(("score_", "no_score")):
        return _score(code, f)
    if code.startswith("count_"):
        return _count(code, f)
    return _climb(code, f)


def progress_reason(progress: Progress, target: Target) -> str:
    """In words, where a value (or rank) target stands (``progress.assess``/``assess_rank``):
    the latest figure with its field, or why it is not read."""
    if progress.latest is None:
        return _("not published")
    if target.indicator.measure != Measure.RANK:
        return _("latest %(value)s") % {"value": _n(progress.latest,
                                                     target.indicator.decimals)}
    f = {"rank": _n(progress.latest), "of": progress.latest_of, "field": progress.target_of}
    if progress.status == NOT_COMPARABLE:
        text = _("the latest rank, %(rank)s/%(of)s, was ranked among %(of)s; this target is "
                 "set among %(field)s") % f
        if progress.proportional is None:
            return text
        return text + " " + _("(about %(reading)s of %(field)s read proportionally)") % {
            **f, "reading": _n(progress.proportional, 1)}
    return (_("latest rank %(rank)s/%(of)s") if progress.latest_of
            else _("latest rank %(rank)s")) % f
