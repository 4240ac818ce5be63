"""A target's terms checked for its kind (shared by the targets page, the API and the loaders
through ``target_services``): a band's low <= high <= field size, a count <= the number of main
indicators, a score within its scale, a climb of whole places; each error names its field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tinhso.indicators.models import Indicator, Measure, TargetKind
from tinhso.indicators.value_checks import to_decimal
from tinhso.scoring.engine import FrameworkError, load_framework

KIND_FIELDS = ("value_high", "scale", "top", "among", "framework")
# The fields each kind reads, beside its value (and the field size, rank_of, for a rank).
USES = {TargetKind.VALUE: set(), TargetKind.BAND: {"value_high", "top", "framework"},
        TargetKind.SCORE: {"scale", "framework"},
        TargetKind.RANK_COUNT: {"top", "among", "framework"},
        TargetKind.CLIMB: {"value_high", "framework"}}
NEEDS = {TargetKind.BAND: {"value_high", "rank_of", "framework"},
         TargetKind.SCORE: {"scale", "framework"},
         TargetKind.RANK_COUNT: {"top", "among", "rank_of", "framework"},
         TargetKind.CLIMB: {"rank_of", "framework"}}
MEASURES = {TargetKind.BAND: Measure.RANK, TargetKind.SCORE: Measure.SCORE,
            TargetKind.RANK_COUNT: Measure.RANK, TargetKind.CLIMB: Measure.RANK}


def _whole(data: dict[str, Any], name: str, low: int = 1) -> int:
    value = data[name]
    if value != int(value) or value < low:
        raise ValidationError({name: _("A whole number from %(low)s is wanted; got %(v)s.")
                               % {"low": low, "v": value}})
    return int(value)


def _main_indicators(code: str) -> int:
    try:
        return len(load_framework(code).indicators)
    except FrameworkError as exc:
        raise ValidationError({"framework": _("There is no index '%(code)s'.")
                               % {"code": code}}) from exc


def check_kind(indicator: Indicator, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (a target's fields, its value already a Decimal) with the fields its kind does
    not read emptied, its numbers parsed, and its terms checked."""
    kind = data.get("kind") or TargetKind.VALUE
    if kind not in TargetKind.values:
        raise ValidationError({"kind": _("Unknown kind of target: %(kind)s.") % {"kind": kind}})
    data["kind"] = kind
    for name in KIND_FIELDS:
        if name not in USES[TargetKind(kind)]:
            data[name] = "" if name == "framework" else None
    data["framework"] = (data.get("framework") or "").strip()
    if data.get("value_high") not in (None, ""):
        data["value_high"] = to_decimal(data["value_high"], "value_high")
    else:
        data["value_high"] = None
    if kind == TargetKind.VALUE:
        return data
    if indicator.measure != MEASURES[TargetKind(kind)]:
        raise ValidationError({"kind": _("%(kind)s needs an indicator measured as %(measure)s.")
                               % {"kind": TargetKind(kind).label,
                                  "measure": Measure(MEASURES[TargetKind(kind)]).label}})
    for name in sorted(NEEDS[TargetKind(kind)]):
        if data.get(name) in (None, ""):
            raise ValidationError({name: _("%(kind)s needs this.")
                                   % {"kind": TargetKind(kind).label}})
    if data["framework"]:
        among = _main_indicators(data["framework"])
        if kind == TargetKind.RANK_COUNT and data["among"] > among:
            raise ValidationError({"among": _("%(index)s has %(n)s main indicators.")
                                   % {"index": data["framework"], "n": among}})
    {TargetKind.BAND: _band, TargetKind.SCORE: _score, TargetKind.RANK_COUNT: _count,
     TargetKind.CLIMB: _climb}[TargetKind(kind)](data)
    return data


def _band(data: dict[str, Any]) -> None:
    low, high, of = _whole(data, "value"), _whole(data, "value_high"), data["rank_of"]
    if not low <= high <= of:
        raise ValidationError({"value_high": _(
            "A band runs from its first rank to its last within the field: %(low)s ≤ %(high)s "
            "≤ %(of)s does not hold.") % {"low": low, "high": high, "of": of}})
    if data.get("top") is not None and not high <= data["top"] <= of:
        raise ValidationError({"top": _("The top group holds the band and lies within the "
                                        "field: %(high)s ≤ %(top)s ≤ %(of)s does not hold.")
                               % {"high": high, "top": data["top"], "of": of}})


def _score(data: dict[str, Any]) -> None:
    if not Decimal(0) < data["value"] <= data["scale"]:
        raise ValidationError({"value": _("A score is above 0 and at most its scale (%(scale)s)"
                                          "; got %(v)s.") % {"scale": data["scale"],
                                                              "v": data["value"]}})
    data["rank_of"] = None


def _count(data: dict[str, Any]) -> None:
    count = _whole(data, "value")
    if count > data["among"]:
        raise ValidationError({"value": _("A count of main indicators is at most their number "
                                          "(%(among)s); got %(v)s.")
                               % {"among": data["among"], "v": count}})
    if not 1 <= data["top"] <= data["rank_of"]:
        raise ValidationError({"top": _("The top group lies within the field (%(of)s).")
                               % {"of": data["rank_of"]}})


def _climb(data: dict[str, Any]) -> None:
    places = _whole(data, "value")
    if data["value_high"] is not None and _whole(data, "value_high") < places:
        raise ValidationError({"value_high": _("The upper figure is at least the lower one "
                                               "(%(v)s).") % {"v": places}})
    if places >= data["rank_of"]:
        raise ValidationError({"value": _("A climb of %(v)s places a year is beyond the field "
                                          "(%(of)s).") % {"v": places, "of": data["rank_of"]}})
