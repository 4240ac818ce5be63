"""A unit's rank over the years, read as published: ranks written with their qualification
("32-34 (bottom 3; exact order not found)", "3 (inferred from listing order)"), and the
breaks of a rank history where the method or the field changes. Pure: no Django.

A rank is only comparable within its method and its field (63 provinces before the 2025
merger, 34 after): the history is drawn as segments, broken at every change of either, and a
year without a result is a gap, never a zero.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import pairwise

PUBLISHED, INFERRED, DERIVED = "published", "inferred", "derived"
_RANK = re.compile(r"^\s*(\d+)\s*(?:[-–]\s*(\d+))?\s*(?:\((.*)\))?\s*$")


class RankTextError(ValueError):
    """A rank or score written in a way that cannot be read (the message says what)."""


@dataclass(frozen=True)
class RankText:
    rank: int  # the best place (of a range: its first)
    rank_to: int | None  # the worst place of a range
    basis: str  # published, inferred or derived
    note: str  # the qualification as written


def parse_rank(text: str) -> RankText | None:
    """A rank as a source gives it: '16', '32-34 (bottom 3; exact order not found)',
    '3 (inferred from listing order)', "30 (derived: 41 in 2022 'giảm 11 bậc')". None when
    empty; RankTextError when it is not a rank."""
    text = (text or "").strip()
    if not text:
        return None
    match = _RANK.match(text)
    if not match:
        raise RankTextError(f"'{text}' is not a rank")
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) else None
    note = (match.group(3) or "").strip()
    if first < 1 or (last is not None and last <= first):
        raise RankTextError(f"'{text}' is not a rank (places start at 1; a range goes up)")
    lowered = note.lower()
    basis = (INFERRED if lowered.startswith("inferred") else
             DERIVED if lowered.startswith("derived") else PUBLISHED)
    return RankText(first, last, basis, note)


def parse_score(text: str) -> tuple[Decimal | None, str]:
    """A published index in [0, 1], or (None, the text) for one published only as a range
    ('~0.5–<0.6 (range only)'). RankTextError for anything else."""
    text = (text or "").strip()
    if not text:
        return None, ""
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        if text.startswith("~") or "range" in text.lower():
            return None, text
        raise RankTextError(f"'{text}' is not a number (nor a range marked '~' or "
                            "'range')") from None
    if not 0 <= value <= 1:
        raise RankTextError(f"{text} is not in [0, 1]")
    return value, ""


@dataclass(frozen=True)
class Point:
    """A year of the history: the unit's result, or a gap (``rank`` None: not found)."""

    year: int
    method: str  # the framework's code
    field_size: int
    rank: int | None
    rank_to: int | None = None
    basis: str = PUBLISHED
    note: str = ""
    total: Decimal | None = None
    source: str = ""

    @property
    def found(self) -> bool:
        return self.rank is not None

    @property
    def position(self) -> float | None:
        """Where the rank stands in its field, 0 (first) to 1 (last); a range at its middle."""
        if self.rank is None:
            return None
        middle = (self.rank + (self.rank_to or self.rank)) / 2
        return (middle - 1) / max(self.field_size - 1, 1)


@dataclass(frozen=True)
class Break:
    after: int  # the last year before the break
    before: int  # the first year after it
    method_from: str
    method_to: str
    field_from: int
    field_to: int

    @property
    def method_changed(self) -> bool:
        return self.method_from != self.method_to

    @property
    def field_changed(self) -> bool:
        return self.field_from != self.field_to


def breaks(points: Sequence[Point]) -> list[Break]:
    """Between consecutive years, where the method or the field changes."""
    return [Break(a.year, b.year, a.method, b.method, a.field_size, b.field_size)
            for a, b in pairwise(points)
            if a.method != b.method or a.field_size != b.field_size]


def segments(points: Sequence[Point]) -> list[list[Point]]:
    """Runs of consecutive found years with the same method and field: a line is drawn
    within a run only (a gap or a break ends it)."""
    runs: list[list[Point]] = []
    for point in points:
        if not point.found:
            runs.append([])
            continue
        if runs and runs[-1] and (runs[-1][-1].method, runs[-1][-1].field_size) == (
                point.method, point.field_size) and runs[-1][-1].year == point.year - 1:
            runs[-1].append(point)
        else:
            runs.append([point])
    return [run for run in runs if run]


def plain(text: str) -> str:
    """A name compared without accents, case, spaces or punctuation ('Thừa Thiên - Huế' and
    'Thừa Thiên Huế' read the same)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed.lower() if c.isalnum() and not unicodedata.combining(c))


# A published name that says the province is the merged one (from 1 July 2025).
AFTER_MERGER_WORDS = ("sau sáp nhập", "after the merger")


def says_after_merger(name: str) -> bool:
    lowered = name.lower()
    return any(words in lowered for words in AFTER_MERGER_WORDS)


@dataclass(frozen=True)
class ChartPoint:
    point: Point
    x: float
    y: float | None  # None: not found (drawn as a gap on the axis)


@dataclass(frozen=True)
class ChartBreak:
    item: Break
    x: float


@dataclass(frozen=True)
class Chart:
    """Where everything goes on an SVG of ``width`` × ``height``: the top of the plot is
    the first place of a field, its bottom the last (ranks among 63 and among 34 are placed
    by their position in their own field, and never joined across a break)."""

    width: int
    height: int
    top: int
    bottom: int
    points: list[ChartPoint]
    lines: list[str]  # polyline coordinates, one per segment
    breaks: list[ChartBreak]


def chart(points: Sequence[Point], width: int = 640, height: int = 240) -> Chart:
    left, right, top, bottom = 48, 24, 28, height - 48
    n = len(points)
    step = (width - left - right) / max(n - 1, 1)
    xs = {p.year: left + (i * step if n > 1 else (width - left - right) / 2)
          for i, p in enumerate(points)}

    def y(p: Point) -> float | None:
        return None if p.position is None else round(top + p.position * (bottom - top), 1)

    placed = [ChartPoint(p, round(xs[p.year], 1), y(p)) for p in points]
    lines = [" ".join(f"{xs[p.year]:.1f},{y(p)}" for p in run)
             for run in segments(points) if len(run) > 1]
    cuts = [ChartBreak(b, round((xs[b.after] + xs[b.before]) / 2, 1)) for b in breaks(points)]
    return Chart(width, height, top, bottom, placed, lines, cuts)
