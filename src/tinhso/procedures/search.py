"""The catalogue's search in SQL: the rule of ``relevance`` as a query, on either database.

Both databases filter on the stored folded text (``Procedure.search_text``, every word
contained; a trigram GIN index serves it on PostgreSQL, migration 0008) and compute the same
integer ``relevance`` score; the folded name comes from ``unaccent(lower(name))`` on PostgreSQL
and from :func:`relevance.fold` registered as an SQLite function elsewhere. PostgreSQL adds its
full-text rank (name weighted above field above the rest) to order procedures of equal score.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models import Case, F, Func, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Length

from tinhso.procedures.relevance import (
    NAME_PHRASE,
    NAME_WORD,
    OTHER_PHRASE,
    OTHER_WORD,
    fold,
)

SQLITE_FOLD = "tinhso_fold"


class Folded(Func):
    """A text lowercased without diacritics, in SQL (the same as ``relevance.fold`` for
    Vietnamese)."""

    function = "LOWER"  # other databases: lowercase only
    output_field = TextField()

    def as_sqlite(self, compiler: Any, conn: Any, **extra: Any) -> Any:  # type: ignore[override]
        return self.as_sql(compiler, conn, function=SQLITE_FOLD, **extra)

    def as_postgresql(self, compiler: Any, conn: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, conn, template="unaccent(lower(%(expressions)s))", **extra)


def register_sqlite_fold(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give every new SQLite connection the fold function (connection_created)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_FOLD, 1, lambda text: None if text is None else fold(text),
            deterministic=True)


def connect() -> None:
    """Register the SQLite function on new connections (and on one already open)."""
    connection_created.connect(register_sqlite_fold, dispatch_uid="tinhso-sqlite-fold")
    if connection.vendor == "sqlite" and connection.connection is not None:
        register_sqlite_fold(None, connection)


def _score(words: list[str]) -> Any:
    """``relevance.relevance`` as an SQL expression over ``folded_name`` and ``search_text``."""
    terms: list[Any] = [Case(When(folded_name__contains=word, then=Value(NAME_WORD)),
                             default=Value(OTHER_WORD), output_field=IntegerField())
                        for word in words]
    if len(words) > 1:
        phrase = " ".join(words)
        terms.append(Case(When(folded_name__contains=phrase, then=Value(NAME_PHRASE)),
                          When(search_text__contains=phrase, then=Value(OTHER_PHRASE)),
                          default=Value(0), output_field=IntegerField()))
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def _text_rank(words: list[str]) -> Any:
    """PostgreSQL's full-text rank of the words (any of them), name above field above the
    rest, all folded; divided by the text's length (normalization 2), so that among equals
    the shorter, closer procedure comes first, as on SQLite."""
    vector = (SearchVector(Folded(F("name")), weight="A", config="simple")
              + SearchVector(Folded(F("field")), weight="B", config="simple")
              + SearchVector("search_text", weight="D", config="simple"))
    query = SearchQuery(" | ".join(words), search_type="raw", config="simple")
    return SearchRank(vector, query, normalization=Value(2))


def ranked(queryset: QuerySet[Any], words: list[str]) -> QuerySet[Any]:
    """The procedures of ``queryset`` holding every word, best first, annotated with
    ``relevance`` (and ``text_rank`` on PostgreSQL)."""
    matching = Q()
    for word in words:
        matching &= Q(search_text__contains=word)
    qs = queryset.filter(matching).annotate(folded_name=Folded(F("name")))
    qs = qs.annotate(relevance=_score(words))
    order: list[Any] = [F("relevance").desc()]
    if connection.vendor == "postgresql":
        qs = qs.annotate(text_rank=_text_rank(words))
        order.append(F("text_rank").desc())
    return qs.order_by(*order, Length("name"), "name", "code")
