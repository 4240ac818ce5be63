"""What of a count may be published: the small-count rule of the transparency portal and the
open data. Pure: no Django.

A count of people (dossiers, ratings, feedback) from 1 to ``minimum - 1`` could point at a
person in a small commune, so it is not shown: the cell says "<5" (``minimum`` = 5 by default,
the setting ``TINHSO_PUBLIC_MIN_COUNT``), and so is every rate computed from it, as numerator or
as denominator (a share of 3 dossiers is not shown). Zero is shown: it points at nobody. A
missing count (nothing published) stays missing, never 0.

A suppressed cell must not be found again by subtraction: where the cells of a group add up to
a total that is published (the units under the province, the months of a year), one hidden
cell is the total less the others. So each group hides more cells (complementary suppression,
:func:`hidden_cells`): at least two, together at least ``minimum``, the smallest counts first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_MINIMUM = 5


def is_small(count: float | None, minimum: int) -> bool:
    """A count too small to publish: more than 0 and below ``minimum``."""
    return count is not None and 0 < count < minimum


@dataclass(frozen=True)
class Cell:
    """One published figure: its value, or None with the reason (suppressed, or not
    published)."""

    value: float | None
    suppressed: bool = False

    @property
    def shown(self) -> bool:
        return self.value is not None


NOT_PUBLISHED = Cell(None)
SUPPRESSED = Cell(None, suppressed=True)


def count_cell(count: float | None, minimum: int) -> Cell:
    """A count as it may be published."""
    if count is None:
        return NOT_PUBLISHED
    if is_small(count, minimum):
        return SUPPRESSED
    return Cell(count)


def rate_cell(numerator: float | None, denominator: float | None, minimum: int,
              scale: float = 100.0) -> Cell:
    """``numerator / denominator × scale`` as it may be published: suppressed when either
    count is small; not published when either is missing or the denominator is 0."""
    if is_small(numerator, minimum) or is_small(denominator, minimum):
        return SUPPRESSED
    if numerator is None or denominator is None or denominator == 0:
        return NOT_PUBLISHED
    return Cell(numerator / denominator * scale)


def derived_cell(value: float | None, *counts: float | None, minimum: int) -> Cell:
    """A figure computed elsewhere from ``counts`` (a rate, a score): suppressed when any of
    them is small, else the value as it is (None: not published)."""
    if any(is_small(c, minimum) for c in counts):
        return SUPPRESSED
    return Cell(value) if value is not None else NOT_PUBLISHED


def complementary(counts: Sequence[float | None], minimum: int,
                  hidden: frozenset[int] = frozenset()) -> set[int]:
    """The positions of a group's counts to hide, its total being published: the small ones
    and those already ``hidden``, then the smallest others shown until at least two are hidden
    and together they hold at least ``minimum`` (so neither one nor their sum gives a small
    count away). Zeros and missing counts are not hidden: they hide nothing."""
    out = set(hidden) | {i for i, c in enumerate(counts) if is_small(c, minimum)}
    if not out:
        return out
    others = sorted((c, i) for i, c in enumerate(counts) if i not in out and c)
    held = sum(counts[i] or 0 for i in out)
    while (len(out) < 2 or held < minimum) and others:
        count, position = others.pop(0)
        out.add(position)
        held += count
    return out


def hidden_cells(rows: Sequence[Sequence[float | None]], groups: Sequence[Sequence[int]],
                 minimum: int) -> set[tuple[int, int]]:
    """The (row, column) cells of a table of counts to hide: the small ones, and in each
    ``groups`` (row positions whose column totals are published) those that would give them
    away, repeated until no group changes (a cell hidden for one group may open another)."""
    hidden = {(r, c) for r, row in enumerate(rows) for c, v in enumerate(row)
              if is_small(v, minimum)}
    columns = max((len(row) for row in rows), default=0)
    changed = bool(hidden)
    while changed:
        changed = False
        for group in groups:
            for c in range(columns):
                before = frozenset(k for k, r in enumerate(group) if (r, c) in hidden)
                if not before:
                    continue
                now = complementary([rows[r][c] for r in group], minimum, before)
                added = {(group[k], c) for k in now - before}
                if added:
                    hidden |= added
                    changed = True
    return hidden
