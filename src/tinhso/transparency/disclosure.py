"""What of a count may be published: the small-count rule of the transparency portal and the
open data. Pure: no Django.

A count of people (dossiers, ratings, feedback) from 1 to ``minimum - 1`` could point at a
person in a small commune, so it is not shown: the cell says "<5" (``minimum`` = 5 by default,
the setting ``TINHSO_PUBLIC_MIN_COUNT``), and so is every rate computed from it, as numerator or
as denominator (a share of 3 dossiers is not shown). Zero is shown: it points at nobody. A
missing count (nothing published) stays missing, never 0.
"""

from __future__ import annotations

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
