"""The numbers of a report's headings, as administrative reports write them: level 1 "I.",
"II." (Roman); level 2 "1.", "2." (again from 1 under each level 1); level 3 "a)", "b)"
(again from a under each level 2). A report type gives the heading's text only; a text that
already starts with a number of its own ("I. ...", "2.1. ...", "a) ...") keeps it and is not
counted. Every format (Word, PDF) writes the headings through :func:`numbered_headings`. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tinhso.reports.document import Block, Heading

OWN_NUMBER = re.compile(r"^\s*(?:[IVXLC]+\.|\d+(?:\.\d+)*\.?|[a-zđ]\))\s")
LETTERS = "abcdeghiklmnopqrstuvxy"  # the Vietnamese alphabet's plain letters, as a) b) c)...
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
         (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int) -> str:
    """4 -> "IV"."""
    out = []
    for value, letters in ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def letter(number: int) -> str:
    """1 -> "a", 23 -> "aa" (a report rarely has more than a dozen)."""
    count = len(LETTERS)
    return LETTERS[(number - 1) % count] * ((number - 1) // count + 1)


def label(level: int, number: int) -> str:
    if level <= 1:
        return f"{roman(number)}."
    if level == 2:
        return f"{number}."
    return f"{letter(number)})"


def numbered_headings(blocks: Sequence[Block]) -> dict[int, str]:
    """The text of each heading (by its index in ``blocks``) with its number in front."""
    counters = [0, 0, 0]
    out: dict[int, str] = {}
    for index, block in enumerate(blocks):
        if not isinstance(block, Heading):
            continue
        if OWN_NUMBER.match(block.text):
            out[index] = block.text
            continue
        level = min(max(block.level, 1), 3)
        counters[level - 1] += 1
        for deeper in range(level, 3):
            counters[deeper] = 0
        out[index] = f"{label(level, counters[level - 1])} {block.text}"
    return out
