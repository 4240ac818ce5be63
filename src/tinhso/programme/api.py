"""The programme through the API (mounted at /api/v1/programme/): documents, the groups with
their rolled-up figures, tasks with their derived status, progress reports and their review.

Who sees what follows the pages: tasks, groups' figures, reports and evidence are for staff who
may read the programme (else 403), each seeing ``selectors.visible_tasks``; a task or report
one may not see is answered 404, as one that does not exist. The documents and their files are
public here (they are published). Writes go through ``programme.services``, which check the
rest: the lead unit's reporter files, the coordinator decides, never on their own report.
"""

from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate
from ninja.responses import Status

from tinhso.accounts.api_auth import AUTH
from tinhso.core.api_files import decode as _decode
from tinhso.core.api_pagination import Pagination
from tinhso.core.api_schemas import ErrorOut, ValidationErrorOut
from tinhso.core.http import file_attachment
from tinhso.core.uploads import UPLOAD_TYPES
from tinhso.indicators.selectors import indicator_by_code
from tinhso.programme import schedule
from tinhso.programme.api_inputs import DecisionIn, ReportFilter, ReportIn, TaskFilter
from tinhso.programme.api_schemas import (
    DocumentDetailOut,
    DocumentOut,
    DocumentProgressOut,
    GroupOut,
    ReportOut,
    TaskDetailOut,
    TaskOut,
    figures_out,
    request_clock,
)
from tinhso.programme.models import (
    Document,
    DocumentKind,
    ProgressReport,
    ReportEvidence,
    Task,
    TaskGroup,
)
from tinhso.programme.page_selectors import programme_page_tree
from tinhso.programme.selectors import (
    may_read_programme,
    serving_dti,
    status_q,
    visible_tasks,
    with_status,
)
from tinhso.programme.services import report_accept, report_return, report_submit
from tinhso.units.selectors import unit_by_code

if TYPE_CHECKING:
    from tinhso.units.models import Unit

router = Router(tags=["programme"])

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                               422: ValidationErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: ValidationErrorOut, **READ_ERRORS}
FILE_RESPONSE = {"responses": {200: {"description": "The file",
                                       "content": {"application/octet-stream": {}}}}}


# --- look-ups ------------------------------------------------------------------------------


def _invalid(param: str, message: str) -> NinjaValidationError:
    """A 422 naming the query parameter, as the schema's own checks give."""
    return NinjaValidationError([{"loc": ("query", param), "msg": message}])


def _reader(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if not may_read_programme(user):
        raise PermissionDenied(_("You may not read the programme's tasks."))
    return user


def _document(ref: str) -> Document:
    """A document by its id or its number and symbol."""
    ref = " ".join(ref.split())
    qs = Document.objects.filter(pk=int(ref)) if ref.isdigit() else \
        Document.objects.filter(number=ref)
    document = qs.select_related("unit").first()
    if document is None:
        raise Http404(_("There is no document '%(ref)s'.") % {"ref": ref})
    return document


def _unit(code: str) -> "Unit":
    unit = unit_by_code(code.strip())
    if unit is None:
        raise Http404(_("There is no unit with code '%(code)s'.") % {"code": code})
    return unit


def _group_ids(ref: str, document: Document | None) -> set[int]:
    """The group named (its code within the document, or its id) and the groups within it."""
    ref = ref.strip()
    if document is not None:
        group = TaskGroup.objects.filter(document=document, code=ref).first()
        if group is None and ref.isdigit():
            group = TaskGroup.objects.filter(document=document, pk=int(ref)).first()
    elif ref.isdigit():
        group = TaskGroup.objects.filter(pk=int(ref)).first()
    else:
        raise _invalid("group", _("Give the group's id, or its code together with the "
                                  "document."))
    if group is None:
        raise Http404(_("There is no group '%(ref)s'.") % {"ref": ref})
    parents = dict(TaskGroup.objects.filter(document_id=group.document_id)
                   .values_list("id", "parent_id"))
    ids, below = set(), {group.pk}
    while below:
        ids |= below
        below = {g for g, parent in parents.items() if parent in below}
    return ids


def _tasks(request: HttpRequest) -> QuerySet[Task]:
    """The tasks the requesting user may read, with their status (the one rule, in SQL)."""
    return with_status(visible_tasks(_reader(request)), request_clock(request)).select_related(
        "group__document", "lead_unit", "assigned_by").prefetch_related(
        "support_units", "indicators")


def _reports() -> QuerySet[ProgressReport]:
    return ProgressReport.objects.select_related(
        "task", "unit", "submitted_by", "decided_by").prefetch_related("evidence")


def _task(request: HttpRequest, task_id: int) -> Task:
    task = (_tasks(request).filter(pk=task_id)
            .prefetch_related(Prefetch("reports", queryset=_reports()), "events").first())
    if task is None:
        raise Http404(_("There is no task %(id)s that you may see.") % {"id": task_id})
    return task


def _visible_reports(request: HttpRequest) -> QuerySet[ProgressReport]:
    tasks = visible_tasks(_reader(request)).values("pk")
    return _reports().filter(task__in=tasks)


def _report(request: HttpRequest, report_id: int) -> ProgressReport:
    report = _visible_reports(request).filter(pk=report_id).first()
    if report is None:
        raise Http404(_("There is no report %(id)s that you may see.") % {"id": report_id})
    return report


# --- documents -----------------------------------------------------------------------------


def _documents() -> QuerySet[Document]:
    return Document.objects.select_related("unit", "implements", "supersedes").prefetch_related(
        "goals__unit", "goals__indicator")


@router.get("/documents/", response={200: list[DocumentOut], 422: ValidationErrorOut},
            summary="The programme's documents (public)",
            description="Resolutions, decisions, plans, programmes and reports, oldest first, "
                        "with the goals they set. Published documents: no sign-in needed.")
@paginate(Pagination)
def list_documents(request: HttpRequest, kind: DocumentKind | None = None) -> Any:
    qs = _documents()
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("issued_on", "id")


@router.get("/documents/{document_id}/", response={200: DocumentDetailOut, 404: ErrorOut,
                                                   422: ValidationErrorOut},
            summary="One document (public)",
            description="With the documents that implement, amend or replace it.")
def get_document(request: HttpRequest, document_id: int) -> Any:
    document = _documents().prefetch_related("implemented_by", "superseded_by") \
        .filter(pk=document_id).first()
    if document is None:
        raise Http404(_("There is no document '%(ref)s'.") % {"ref": document_id})
    return document


@router.get("/documents/{document_id}/file/", response={404: ErrorOut, 422: ValidationErrorOut},
            url_name="programme_document_file", openapi_extra=FILE_RESPONSE,
            summary="Download a document's file (public)")
def document_file(request: HttpRequest, document_id: int) -> Any:
    document = Document.objects.filter(pk=document_id).first()
    if document is None or not document.file:
        raise Http404(_("Document %(ref)s has no file.") % {"ref": document_id})
    name = PurePath(document.file.name).name
    return file_attachment(document.file, name, UPLOAD_TYPES.get(PurePath(name).suffix.lower()))


@router.get("/documents/{document_id}/progress/", response={200: DocumentProgressOut,
                                                            **READ_ERRORS},
            auth=AUTH, summary="A document's rolled-up progress and task counts",
            description="The weighted mean of its top-level groups (with the terms), over the "
                        "tasks the requesting user may read.")
def document_progress(request: HttpRequest, document_id: int) -> Any:
    user = _reader(request)
    document = _document(str(document_id))
    tree = programme_page_tree(document, user, request_clock(request))
    return {"document": document, **figures_out(tree.figures)}


# --- groups --------------------------------------------------------------------------------


@router.get("/groups/", response={200: list[GroupOut], **READ_ERRORS}, auth=AUTH,
            summary="A document's groups as a tree, with rolled-up figures",
            description=(
                "The groups of `document` (its id or number and symbol) depth first, each with "
                "its parent's id, its weight and the roll-up of the tasks below it that the "
                "requesting user may read: progress (the weighted mean of its children, with "
                "the terms), counts by status, late count."))
@paginate(Pagination)
def list_groups(request: HttpRequest, document: str) -> Any:
    if "\x00" in document:
        raise _invalid("document", "contains a NUL character")
    user = _reader(request)
    tree = programme_page_tree(_document(document), user, request_clock(request))
    rows: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        g = node.group
        rows.append({"id": g.id, "parent": g.parent_id, "document": g.document_id,
                     "code": g.code, "title": g.title, "title_en": g.title_en, "area": g.area,
                     "weight": g.weight, "position": g.position, "depth": node.depth,
                     "is_illustrative": g.is_illustrative, **figures_out(node.figures)})
        for child in node.children:
            walk(child)

    for root in tree.roots:
        walk(root)
    return rows


# --- tasks ---------------------------------------------------------------------------------


@router.get("/tasks/", response={200: list[TaskOut], **READ_ERRORS}, auth=AUTH,
            summary="Tasks, with their derived status",
            description=(
                "The tasks the requesting user may read, by due date. Filters: `unit` (leads or "
                "supports), `lead_unit`, `document`, `group`, `status`, `overdue=true`, "
                "`due_before`/`due_after` (2026-12-31 or 31/12/2026), `indicator` (a linked "
                "indicator), `dti` (a DTI main indicator the task serves). Statuses and days "
                "late count in working days on the platform's calendar."))
@paginate(Pagination)
def list_tasks(request: HttpRequest, filters: Query[TaskFilter]) -> Any:
    qs = _tasks(request)
    document = _document(filters.document) if filters.document else None
    if document is not None:
        qs = qs.filter(group__document=document)
    if filters.group:
        qs = qs.filter(group_id__in=_group_ids(filters.group, document))
    if filters.unit:
        place = _unit(filters.unit).path
        supported = Task.objects.filter(support_units__path__startswith=place).values("pk")
        qs = qs.filter(Q(lead_unit__path__startswith=place) | Q(pk__in=supported))
    if filters.lead_unit:
        qs = qs.filter(lead_unit__path__startswith=_unit(filters.lead_unit).path)
    clk = request_clock(request)
    if filters.status:
        qs = qs.filter(status_q(filters.status, clk))
    if filters.overdue is not None:
        late = status_q(schedule.OVERDUE, clk)
        qs = qs.filter(late) if filters.overdue else qs.exclude(late)
    if filters.due_before:
        qs = qs.filter(due_on__lte=filters.due_before)
    if filters.due_after:
        qs = qs.filter(due_on__gte=filters.due_after)
    if filters.indicator:
        indicator = indicator_by_code(filters.indicator.strip())
        if indicator is None:
            raise Http404(_("There is no indicator with code '%(code)s'.")
                          % {"code": filters.indicator})
        qs = qs.filter(indicators=indicator)
    if filters.dti:
        qs = serving_dti(qs, [filters.dti])
    return qs.order_by("due_on", "id")


@router.get("/tasks/{task_id}/", response={200: TaskDetailOut, **READ_ERRORS}, auth=AUTH,
            summary="One task, with its reports and history",
            description="404 for a task the requesting user may not read.")
def get_task(request: HttpRequest, task_id: int) -> Any:
    return _task(request, task_id)


@router.post("/tasks/{task_id}/reports/", response={201: ReportOut, **WRITE_ERRORS},
             auth=AUTH, summary="File a progress report on a task",
             description=(
                 "The lead unit's reporter reports the percent complete for a period, what was "
                 "done, obstacles and proposals, with evidence files (base64 in JSON); a "
                 "supporting unit's reporter adds its part with `unit`. At 100 % give "
                 "`completed_on` and the output (`result_document` or an evidence file); a "
                 "percent below the accepted progress needs `regression_reason`. 403 outside "
                 "one's units; 400 naming the field for what the task or period refuses."))
def submit_report(request: HttpRequest, task_id: int, payload: ReportIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    task = _task(request, task_id)
    errors: dict[str, list[str]] = {}
    unit = None
    if payload.unit:
        unit = unit_by_code(payload.unit.strip())
        if unit is None:
            errors["unit"] = [_("There is no unit with code '%(code)s'.")
                              % {"code": payload.unit}]
    files = [upload for i, document in enumerate(payload.evidence)
             if (upload := _decode(f"evidence.{i}", document, errors)) is not None]
    if errors:
        raise ValidationError(errors)
    report = report_submit(
        actor=user, task=task, period=payload.period, percent=payload.percent,
        done_text=payload.done_text, unit=unit, obstacles=payload.obstacles,
        proposals=payload.proposals, regression_reason=payload.regression_reason,
        completed_on=payload.completed_on, result_document=payload.result_document,
        evidence=files)
    return Status(201, _report(request, report.pk))


# --- reports -------------------------------------------------------------------------------


@router.get("/reports/", response={200: list[ReportOut], **READ_ERRORS}, auth=AUTH,
            summary="Progress reports",
            description="The reports on the tasks the requesting user may read, newest first; "
                        "`status=submitted` lists what waits for the coordinator.")
@paginate(Pagination)
def list_reports(request: HttpRequest, filters: Query[ReportFilter]) -> Any:
    qs = _visible_reports(request)
    if filters.task:
        qs = qs.filter(task_id=filters.task)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.unit:
        qs = qs.filter(unit=_unit(filters.unit))
    return qs.order_by("-submitted_at", "-id")


@router.get("/reports/{report_id}/", response={200: ReportOut, **READ_ERRORS}, auth=AUTH,
            summary="One progress report")
def get_report(request: HttpRequest, report_id: int) -> Any:
    return _report(request, report_id)


@router.post("/reports/{report_id}/accept/", response={200: ReportOut, **WRITE_ERRORS},
             auth=AUTH, summary="Accept a progress report (the coordinator)",
             description=(
                 "The lead unit's percent becomes the task's progress; at 100 % the task is "
                 "closed with its output. Nobody decides on a report they wrote (403)."))
def accept_report(request: HttpRequest, report_id: int, payload: DecisionIn | None = None
                  ) -> Any:
    comment = payload.comment if payload else ""
    report = report_accept(actor=request.auth,  # type: ignore[attr-defined]
                           report=_report(request, report_id), comment=comment)
    return _report(request, report.pk)


@router.post("/reports/{report_id}/return/", response={200: ReportOut, **WRITE_ERRORS},
             auth=AUTH, summary="Return a progress report with a comment (the coordinator)",
             description="The comment is required; the unit resubmits a new report for the "
                         "same period. Nobody decides on a report they wrote (403).")
def return_report(request: HttpRequest, report_id: int, payload: DecisionIn | None = None
                  ) -> Any:
    comment = payload.comment if payload else ""
    report = report_return(actor=request.auth,  # type: ignore[attr-defined]
                           report=_report(request, report_id), comment=comment)
    return _report(request, report.pk)


@router.get("/evidence/{evidence_id}/", response=READ_ERRORS, auth=AUTH,
            url_name="programme_evidence_file", openapi_extra=FILE_RESPONSE,
            summary="Download a report's evidence file")
def evidence_file(request: HttpRequest, evidence_id: int) -> Any:
    tasks = visible_tasks(_reader(request)).values("pk")
    evidence = ReportEvidence.objects.filter(pk=evidence_id, report__task__in=tasks).first()
    if evidence is None:
        raise Http404(_("There is no evidence file %(id)s that you may see.")
                      % {"id": evidence_id})
    return file_attachment(evidence.file, evidence.name, evidence.content_type)
