"""How closely a procedure matches a search: the rule, in pure Python (no Django).

A search is folded (lowercase, no diacritics, đ as d) and cut into words; a procedure matches
when every word appears in its folded text (name, field, agency, codes). Among the matches:

- each word found in the procedure's name scores ``NAME_WORD`` (4), elsewhere ``OTHER_WORD`` (1);
- the words as one phrase (two words or more) score ``NAME_PHRASE`` (6) more when the name holds
  the phrase, else ``OTHER_PHRASE`` (2) when the rest of the text does.

So a name holding every word comes before a procedure found partly through its agency, and a
name holding the exact phrase comes first of all. Ties go to the shorter name (the closer one),
then to alphabetical order. ``catalogue.procedure_search`` computes the same score in SQL on
either database (PostgreSQL adds its full-text rank to break ties).
"""

from __future__ import annotations

import re
import unicodedata

NAME_WORD = 4
OTHER_WORD = 1
NAME_PHRASE = 6
OTHER_PHRASE = 2

_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lowercase without Vietnamese diacritics: 'Cấp giấy phép' -> 'cap giay phep', 'Đăng' ->
    'dang'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


def search_words(query: str) -> list[str]:
    """The folded words of a search, punctuation dropped, each once, in order."""
    return list(dict.fromkeys(_WORD.findall(fold(query))))


def matches(words: list[str], text: str) -> bool:
    """Whether the folded ``text`` holds every word."""
    return all(word in text for word in words)


def relevance(words: list[str], name: str, text: str) -> int:
    """The score of a procedure whose folded name is ``name`` and folded full text ``text``
    (which holds every word: see :func:`matches`)."""
    score = sum(NAME_WORD if word in name else OTHER_WORD for word in words)
    if len(words) > 1:
        phrase = " ".join(words)
        if phrase in name:
            score += NAME_PHRASE
        elif phrase in text:
            score += OTHER_PHRASE
    return score
