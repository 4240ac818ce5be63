"""Searching the document office: by number and notation, subject typed with or without
diacritics, issuing organisation, date range, status, direction, register year and unit, among
the documents the person may see (``access.visible_documents``), newest first.

Every word of the free text must be contained in the stored folded text
(``Document.search_text``: lower case without diacritics, ``rules.search_text``), so
"bo chi so dti" finds "Bộ chỉ số DTI". On PostgreSQL one GIN index serves these
``LIKE '%word%'`` filters together with who may see the document (``reach &&``, see
``access.visible_documents``; migration 0005); SQLite scans (small installations, the tests).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from tinhso.documents import rules
from tinhso.documents.access import Reader, reader
from tinhso.documents.models import Direction, Document, Status
from tinhso.units.selectors import unit_by_code, units_within

SQLITE_FOLD = "tinhso_documents_fold"
# the newest documents a common word is looked for among, a slice after another (a word in one
# document of forty fills a page of 20 from the first, a page of 50 from the second)
RECENT = (2000, 16000)
RECENT_PAGES = 100  # ... for the first rows of the results only
# Newest first: by the document's date (drafts without one first), then as registered; the
# indexes document_dated and document_year_dated give this order, also within a date range or
# a year, so that a page of 20 is read from the index's end instead of sorting every match.
NEWEST_FIRST = (F("issued_on").desc(nulls_first=True), F("created_at").desc(), F("id").desc())
MAX_TEXT = 200
PARAMETERS = ("q", "code", "issuer", "date_from", "date_to", "status", "direction", "year",
              "unit")
DATE_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True)
class DocumentQuery:
    """What a search asks for; every field optional (an empty query lists every visible
    document, newest first)."""

    q: str = ""
    code: str = ""
    issuer: str = ""
    date_from: date | None = None
    date_to: date | None = None
    status: str = ""
    direction: str = ""
    year: int | None = None
    unit: str = ""

    @classmethod
    def parse(cls, params: Mapping[str, Any]) -> DocumentQuery:
        """From request parameters (a QueryDict or a dict); every bad one named in one
        ``ValidationError`` (field: message)."""
        errors: dict[str, list[str]] = {}
        values: dict[str, Any] = {}
        for name in ("q", "code", "issuer", "status", "direction", "unit"):
            text = " ".join(str(_param(params, name) or "").split())
            if len(text) > MAX_TEXT:
                errors[name] = [_("Type at most %(n)s characters.") % {"n": MAX_TEXT}]
            values[name] = text
        for name in ("date_from", "date_to"):
            try:
                values[name] = parse_date(_param(params, name))
            except ValueError as error:
                errors[name] = [str(error)]
        try:
            values["year"] = _parse_year(_param(params, "year"))
        except ValueError as error:
            errors["year"] = [str(error)]
        if values["status"] and values["status"] not in Status.values:
            errors["status"] = [_("Choose a status from the list.")]
        if values["direction"] and values["direction"] not in Direction.values:
            errors["direction"] = [_("Choose incoming or outgoing.")]
        if (values.get("date_from") and values.get("date_to")
                and values["date_to"] < values["date_from"]):
            errors["date_to"] = [_("The end of the period cannot be before its start.")]
        if errors:
            raise ValidationError(errors)
        return cls(**values)

    @classmethod
    def lenient(cls, params: Mapping[str, Any]) -> tuple[DocumentQuery, dict[str, list[str]]]:
        """As ``parse``, for a page: the query without its bad parameters, and what was wrong
        with each (to show beside its field)."""
        try:
            return cls.parse(params), {}
        except ValidationError as error:
            errors = error.message_dict
        kept = {name: params.get(name) for name in PARAMETERS if name not in errors}
        return cls.parse(kept), errors

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


def _param(params: Mapping[str, Any], name: str) -> Any:
    value = params.get(name)
    return value.strip() if isinstance(value, str) else value


def parse_date(value: Any) -> date | None:
    """``27/11/2026`` (as Vietnamese write it) or ``2026-11-27``; None when empty."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = DATE_DMY.match(text)
    parts = (match.group(3), match.group(2), match.group(1)) if match else None
    if parts is None and (match := DATE_ISO.match(text)):
        parts = (match.group(1), match.group(2), match.group(3))
    try:
        if parts is None:
            raise ValueError
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise ValueError(_("'%(value)s' is not a date: write it as dd/mm/yyyy, for example "
                           "27/11/2026.") % {"value": text[:40]}) from None


def _parse_year(value: Any) -> int | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    if not text.isdigit() or not 1900 <= int(text) <= 2999:
        raise ValueError(_("'%(value)s' is not a year: write it as 2026.") % {
            "value": text[:40]})
    return int(text)


class Folded(Func):
    """A text lower case without diacritics in SQL, as ``rules.fold`` (PostgreSQL:
    ``unaccent``; SQLite: ``rules.fold`` registered as a function)."""

    function = "LOWER"
    output_field = TextField()

    def as_sqlite(self, compiler: Any, conn: Any, **extra: Any) -> Any:  # type: ignore[override]
        return self.as_sql(compiler, conn, function=SQLITE_FOLD, **extra)

    def as_postgresql(self, compiler: Any, conn: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, conn, template="unaccent(lower(%(expressions)s))", **extra)


def register_sqlite_fold(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_FOLD, 1, lambda text: None if text is None else rules.fold(text),
            deterministic=True)


def connect() -> None:
    """Give SQLite connections the fold function (new ones, and one already open)."""
    connection_created.connect(register_sqlite_fold, dispatch_uid="tinhso-documents-fold")
    if connection.vendor == "sqlite" and connection.connection is not None:
        register_sqlite_fold(None, connection)


def text_filter(text: str) -> Q:
    """Every word of ``text``, folded, contained in the search text."""
    condition = Q()
    for word in rules.fold(text).split():
        condition &= Q(search_text__contains=word)
    return condition


def code_filter(code: str) -> Q:
    """``405/QĐ-BKHCN``: number 405 and that notation; ``405``: the number; ``QĐ-BKHCN``: the
    notation (folded, so "qd-bkhcn" finds it too)."""
    number, notation = _number_and_notation(code)
    condition = Q() if number is None else Q(number=number)
    if notation:
        printed = f"{number:02d}/{notation}" if number is not None else notation
        condition &= Q(search_text__contains=rules.fold(printed))
    return condition


def _number_and_notation(code: str) -> tuple[int | None, str]:
    number, notation = rules.split_code(code)
    if number is None and notation.isdigit():
        return int(notation), ""
    return number, notation


def issuer_filter(issuer: str) -> Q:
    """The issuing organisation's code (exact, any case) or a part of its name (folded)."""
    folded = rules.fold(issuer)
    by_name = Q(search_text__contains=folded) & Q(issuer_folded__contains=folded)
    return Q(issuer_code=issuer) | Q(issuer_code=issuer.upper()) | by_name


def unit_ids(code: str) -> list[int]:
    """The unit of ``code`` and every unit below it (none when there is no such unit)."""
    unit = unit_by_code(code)
    if unit is None:
        return []
    return list(units_within(unit).values_list("pk", flat=True))


def matching(user: Any, query: DocumentQuery, who: Reader | None = None
             ) -> QuerySet[Document]:
    """The documents ``user`` may see that match ``query``, newest first (``NEWEST_FIRST``);
    ``who``: ``access.reader(user)`` when the caller has it already."""
    qs = (who or reader(user)).documents()
    condition = Q()
    if query.q:
        condition &= text_filter(query.q)
    if query.code:
        condition &= code_filter(query.code)
    if query.issuer:
        qs = qs.annotate(issuer_folded=Folded("issuer_name"))
        condition &= issuer_filter(query.issuer)
    if query.date_from:
        condition &= Q(issued_on__gte=query.date_from)
    if query.date_to:
        condition &= Q(issued_on__lte=query.date_to)
    for name in ("status", "direction", "year"):
        if getattr(query, name):
            condition &= Q(**{name: getattr(query, name)})
    if query.unit:
        condition &= Q(unit_id__in=unit_ids(query.unit))
    if query.code and _number_and_notation(query.code)[0] is not None:
        # a number matches a few documents a register-year: all of them, sorted, rather than
        # the newest end of the date index walked until they turn up
        return qs.filter(condition).order_by(
            Coalesce("issued_on", Value(date.max)).desc(), *NEWEST_FIRST[1:])
    return qs.filter(condition).order_by(*NEWEST_FIRST)


@dataclass(frozen=True)
class Page:
    rows: list[Document]
    more: bool  # another page follows


def search(user: Any, query: DocumentQuery, limit: int = 20, offset: int = 0,
           related: tuple[str, ...] = ("unit",)) -> Page:
    """A page of ``matching``: ``limit`` rows from ``offset`` (with ``related`` joined), and
    whether more follow (one row more is read instead of counting every match: at 1,000,000
    documents a count alone takes longer than the page)."""
    wanted = offset + limit + 1
    who = reader(user)
    ids = _among_recent(user, who, query, wanted)
    if ids is not None:
        by_id = Document.objects.select_related(*related).in_bulk(ids[offset:])
        rows = [by_id[pk] for pk in ids[offset:] if pk in by_id]
    else:
        rows = list(matching(user, query, who).select_related(*related)[
            offset:offset + limit + 1])
    return Page(rows[:limit], len(rows) > limit)


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _among_recent(user: Any, who: Reader, query: DocumentQuery, wanted: int
                  ) -> list[int] | None:
    """The first ``wanted`` matches' ids when they are all among the newest documents that
    match the query's other conditions (a slice of ``RECENT[0]`` of them, then of
    ``RECENT[1]``), else None (PostgreSQL, for those who see every unit's documents).

    A word found in many documents is the trigram index's worst case (every candidate read,
    then sorted), and the planner cannot tell such a word from a rare one; reading the newest
    documents in the index's order and keeping those holding every word answers it from a
    few thousand rows. The result is the same: every document outside that slice is older
    than every one in it."""
    if (not query.q or wanted > RECENT_PAGES or connection.vendor != "postgresql"
            or not who.everything):
        return None
    words = rules.fold(query.q).split()
    holding = " AND ".join(["search_text LIKE %s"] * len(words))
    newest = matching(user, replace(query, q=""), who).values(
        "pk", "search_text", "issued_on", "created_at")
    for size in RECENT:
        recent = newest[:size]
        sql, params = recent.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT pk FROM ({sql}) recent WHERE {holding} "
                "ORDER BY issued_on DESC NULLS FIRST, created_at DESC, pk DESC LIMIT %s",
                [*params, *(_like(w) for w in words), wanted])
            ids = [row[0] for row in cursor.fetchall()]
        if len(ids) >= wanted:
            return ids
    return None
