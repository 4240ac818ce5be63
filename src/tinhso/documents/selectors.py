"""Reads of the document office for its pages: the list a person may see (``document_list``,
the one place its filters live), a document's page in a fixed number of queries, the two
registers of Decree 30/2020 Appendix IV with each document's pair (the answer, the document
answered), and the overdue and due-soon handling slips per lead unit (through ``queries``, the
query forms of ``rules.overdue`` and ``rules.due_soon``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Max, Min, Prefetch, Q
from django.utils import timezone

from tinhso.accounts.permissions import may, scope_paths
from tinhso.accounts.selectors import units_held
from tinhso.core.calendar import cached_work_calendar_span
from tinhso.core.db import within_paths
from tinhso.documents import rules
from tinhso.documents.access import visible_documents
from tinhso.documents.models import (
    OPEN_INCOMING,
    Assignment,
    Direction,
    Document,
    Status,
)
from tinhso.documents.queries import due_soon_q, overdue_q
from tinhso.documents.search import DocumentQuery, search
from tinhso.documents.signature_view import FileView, file_view
from tinhso.units.selectors import (
    all_units,
    unit_by_code,
    unit_ids_within,
    units_matching,
    units_valid_within,
)

if TYPE_CHECKING:
    from tinhso.units.models import Unit

DUE_SOON_WORKING_DAYS = 3


# --- the list --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListFilter:
    """The list's filters as typed in its query string: the search's (``search.DocumentQuery``;
    a bad value is left out of the search and its message kept in ``errors``)."""

    direction: str = ""
    status: str = ""
    year: int | None = None
    q: str = ""
    code: str = ""
    issuer: str = ""
    date_from: str = ""
    date_to: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_query(cls, params: Mapping[str, Any]) -> ListFilter:
        query, errors = DocumentQuery.lenient(params)
        return cls(direction=query.direction, status=query.status, year=query.year, q=query.q,
                   code=query.code, issuer=query.issuer,
                   date_from=str(params.get("date_from") or "").strip()[:40],
                   date_to=str(params.get("date_to") or "").strip()[:40], errors=errors)

    @property
    def active(self) -> bool:
        return bool(self.direction or self.status or self.year or self.q or self.code
                    or self.issuer or self.date_from or self.date_to)


PER_PAGE = 50
LAST_PAGE = 10_000


@dataclass(frozen=True)
class ListPage:
    """A page of the list: its rows, its number, and whether another follows (the matches are
    not counted: at 1,000,000 documents the count alone took longer than the page)."""

    rows: list[Document]
    number: int
    more: bool

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.more else None


def document_list(user: Any, params: Mapping[str, Any]) -> ListPage:
    """The page ``params["page"]`` of the documents ``user`` may see matching ``params``
    (``search.DocumentQuery``: words, number and notation, issuer, dates, status, direction,
    year), newest first, with what a row shows (registering unit, handling slip) joined."""
    query, _errors = DocumentQuery.lenient(params)
    number = page_number(params.get("page"))
    found = search(user, query, limit=PER_PAGE, offset=(number - 1) * PER_PAGE,
                   related=("unit", "assignment"))
    return ListPage(found.rows, number, found.more)


def page_number(value: Any) -> int:
    """A page number as typed (1 when it is not one; at most ``LAST_PAGE``)."""
    text = str(value or "").strip()
    return min(int(text), LAST_PAGE) if text.isdigit() and int(text) >= 1 else 1


def list_years() -> list[int]:
    """The register years offered on the list, latest first: every year from the office's
    first register to its last (read from the ends of the year index, not from every
    document: a year holding nothing the person may see just lists nothing)."""
    span = Document.objects.aggregate(first=Min("year"), last=Max("year"))
    if span["first"] is None:
        return []
    return list(range(span["last"], span["first"] - 1, -1))


# --- units offered on the forms --------------------------------------------------------------


def units_for(user: Any, action: str) -> list[Unit]:
    """The units valid today where ``user`` may do ``action``, by path."""
    paths = scope_paths(user, action)
    units = all_units() if paths is None else units_matching(ids=unit_ids_within(paths))
    today = timezone.localdate()
    valid = ((Q(valid_from__isnull=True) | Q(valid_from__lte=today))
             & (Q(valid_to__isnull=True) | Q(valid_to__gte=today)))
    return list(units.filter(valid).order_by("path"))


def units_below(unit: Unit) -> list[Unit]:
    """``unit`` and the units below it valid today (lead and supporting units, by path)."""
    return list(units_valid_within(unit, timezone.localdate()).order_by("path"))


def unit_of_issuer(document: Document) -> Unit | None:
    """The unit of this installation that issued ``document`` (by its agency code), if any."""
    code = document.issuer_code.strip()
    if not code:
        return None
    return (all_units().filter(Q(code=code) | Q(attributes__agency_code=code))
            .order_by("path").first())


def installation_units(unit: Unit) -> list[Unit]:
    """The units of the installation ``unit`` belongs to (its province and everything below
    it), valid today: the addressees an outgoing document reaches without leaving it."""
    codes = unit.path.strip("/").split("/")
    province = unit_by_code(codes[1]) if len(codes) > 1 else unit
    return units_below(province or unit)


# --- a document's page -----------------------------------------------------------------------


@dataclass
class DocumentPage:
    document: Document
    recipients: list[Any]
    files: list[FileView]
    assignment: Assignment | None
    support_units: list[Unit]
    steps: list[Any]
    answers: list[Document]
    task: Any = None
    task_status: str = ""
    may: dict[str, bool] = field(default_factory=dict)


def document_page(user: Any, document: Document) -> DocumentPage:
    """What the document's page shows, in a fixed number of queries."""
    document = (Document.objects.select_related("unit", "reply_to", "created_by")
                .prefetch_related(Prefetch("recipients"), Prefetch("attachments"),
                                  Prefetch("steps"),
                                  Prefetch("answers", queryset=Document.objects.order_by("pk")))
                .get(pk=document.pk))
    assignment = (Assignment.objects.select_related("lead_unit", "directed_by")
                  .prefetch_related("support_units").filter(document=document).first())
    support = list(assignment.support_units.all()) if assignment else []
    page = DocumentPage(
        document=document, recipients=list(document.recipients.all()),
        files=[file_view(a) for a in document.attachments.all()], assignment=assignment,
        support_units=support, steps=list(document.steps.all()),
        answers=list(document.answers.all()))
    page.may = permissions_on(user, document, assignment, support, page.answers)
    return page


def assignment_of(document: Document) -> Assignment | None:
    return (Assignment.objects.select_related("lead_unit").filter(document=document).first())


def attachment_of(document: Document, pk: int) -> Any:
    """The file ``pk`` of ``document``, or None."""
    return document.attachments.filter(pk=pk).first()


def handling_units(document: Document, assignment: Assignment | None,
                   support: list[Unit]) -> list[Unit]:
    units = [document.unit]
    if assignment is not None:
        units += [assignment.lead_unit, *support]
    return units


def permissions_on(user: Any, document: Document, assignment: Assignment | None,
                   support: list[Unit], answers: list[Document]) -> dict[str, bool]:
    """Which of the page's forms ``user`` is shown (the services decide again)."""
    incoming = document.direction == Direction.INCOMING
    open_ = incoming and document.status in OPEN_INCOMING
    handles = any(may(user, "documents.handle", u)
                  for u in handling_units(document, assignment, support))
    directs = may(user, "documents.direct", document.unit)
    issued_answer = any(a.number is not None for a in answers)
    return {
        "direct": open_ and assignment is None and directs,
        "comment": handles,
        "answer": open_ and handles,
        "close": open_ and handles,
        "task_close": bool(assignment and assignment.task_id and issued_answer and directs),
        "issue": (document.direction == Direction.OUTGOING and document.status == Status.DRAFT
                  and may(user, "documents.register", document.unit)),
    }


# --- the registers ---------------------------------------------------------------------------


@dataclass
class RegisterRow:
    document: Document
    hidden: bool  # confidential and the reader is not named on it: the subject is not shown
    pairs: list[Document]  # incoming: the answers issued; outgoing: the document it answers


def register_rows(user: Any, unit: Unit, direction: str, year: int) -> list[RegisterRow]:
    """A unit's register of the year (Decree 30/2020 Appendix IV), in number order, each
    document with its pair; confidential documents keep their line, their subject shown only to
    the people named on them. Three queries."""
    documents = Document.objects.filter(unit=unit, direction=direction, year=year)
    if direction == Direction.INCOMING:
        documents = documents.select_related("assignment__lead_unit").prefetch_related(
            Prefetch("answers", queryset=Document.objects.filter(number__isnull=False)
                     .order_by("issued_on", "pk"), to_attr="issued_answers")
        ).order_by("arrival_number")
        pairs = "issued_answers"
    else:
        documents = documents.filter(number__isnull=False).select_related(
            "reply_to").prefetch_related("recipients").order_by("number")
        pairs = ""
    seen = set(visible_documents(user).filter(unit=unit, direction=direction, year=year)
               .values_list("pk", flat=True))
    rows = []
    for document in documents:
        paired = (getattr(document, pairs) if pairs else
                  [document.reply_to] if document.reply_to else [])
        rows.append(RegisterRow(document, document.confidential and document.pk not in seen,
                                list(paired)))
    return rows


def register_units(user: Any) -> list[Unit]:
    """The units whose registers ``user`` may read and that have documents, by path."""
    paths = scope_paths(user, "documents.view")
    documents = Document.objects.all()
    if paths is not None:
        documents = documents.filter(within_paths("unit__path", paths))
    ids = documents.order_by().values_list("unit_id", flat=True).distinct()
    return list(units_matching(ids=ids).order_by("path"))


def register_unit(user: Any, code: str) -> Unit | None:
    """The unit asked for (by code); else the unit whose registers the user keeps (where a
    clerk's role is held: the province's clerk sits in its office but keeps the province's
    registers); else the user's own unit. None when there is none."""
    if code:
        return unit_by_code(code)
    for action in ("documents.register", "documents.view"):
        held = units_held(user, action)
        if held:
            return held[0]
    return getattr(user, "unit", None)


def may_read_register(user: Any, unit: Unit) -> bool:
    return may(user, "documents.view", unit)


# --- overdue and due soon --------------------------------------------------------------------


def due_soon_limit(today: date, days: int = DUE_SOON_WORKING_DAYS) -> date:
    """The ``days``-th working day after ``today`` on the platform's calendar."""
    cal = cached_work_calendar_span(today.year, today.year + 1)
    day = today
    for _ in range(days):
        day = cal.next_working_day(day)
    return day


@dataclass
class LateRow:
    document: Document
    overdue: bool
    days_late: int


@dataclass
class UnitLate:
    unit: Unit
    overdue: list[LateRow] = field(default_factory=list)
    due_soon: list[LateRow] = field(default_factory=list)


def late_by_unit(user: Any, today: date | None = None) -> tuple[list[UnitLate], date]:
    """The open handling slips of the documents ``user`` sees that are past their deadline or
    due within three working days, per lead unit (units with overdue ones first); and the
    limit of "due soon". One query."""
    today = today or timezone.localdate()
    limit = due_soon_limit(today)
    documents = (visible_documents(user).filter(overdue_q(today) | due_soon_q(today, limit))
                 .select_related("assignment__lead_unit", "unit")
                 .order_by("assignment__due_on", "pk"))
    units: dict[int, UnitLate] = {}
    for document in documents:
        slip = document.assignment
        entry = units.setdefault(slip.lead_unit_id, UnitLate(slip.lead_unit))
        late = rules.overdue(slip.due_on, slip.closed_on, today)
        row = LateRow(document, late, (today - slip.due_on).days if late else 0)
        (entry.overdue if late else entry.due_soon).append(row)
    ordered = sorted(units.values(), key=lambda u: (-len(u.overdue), u.unit.name))
    return ordered, limit
