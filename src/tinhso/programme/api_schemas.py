"""The programme API's response schemas (endpoints in ``programme.api``, requests in
``programme.api_inputs``).

Figures are never computed here: a task's status is the ``status`` that
``selectors.with_status`` annotated, its days late ``schedule.days_late`` on the request's
clock, and a group's figures those of ``rollup.roll_up`` (through
``page_selectors.programme_page_tree``).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Schema

from tinhso.programme import schedule
from tinhso.programme.models import (
    Document,
    DocumentKind,
    ProgressReport,
    ReportEvidence,
    ReportKind,
    ReportStatus,
    Supersession,
    Task,
    TaskEvent,
    TaskStatus,
)
from tinhso.programme.selectors import Clock, clock, reporting_units


def request_clock(request: HttpRequest) -> Clock:
    """One clock per request: every status and day count of an answer is of the same day."""
    clk = getattr(request, "_tinhso_programme_clock", None)
    if clk is None:
        clk = clock()
        request._tinhso_programme_clock = clk  # type: ignore[attr-defined]
    return clk


class ProgrammeUnitRef(Schema):
    code: str
    name: str


class DocumentRef(Schema):
    id: int
    number: str


class GroupRef(Schema):
    id: int
    code: str
    title: str


# --- documents -----------------------------------------------------------------------------


class GoalOut(Schema):
    unit: str = Field(description="The unit's code")
    year: int
    text: str
    text_en: str
    target_rank: int | None
    quote: str
    indicator: str | None = Field(description="The code of the indicator whose target "
                                              "(same unit and year) measures the goal")

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return str(obj.unit.code)

    @staticmethod
    def resolve_indicator(obj: Any) -> str | None:
        return obj.indicator.code if obj.indicator_id else None


class DocumentOut(Schema):
    id: int
    number: str = Field(description="Number and symbol (Decree 30/2020): 10633/KH-UBND")
    kind: DocumentKind
    title: str
    title_en: str
    issuer: str
    issued_on: date
    unit: str = Field(description="The code of the unit whose document it is")
    source: str
    implements: DocumentRef | None = Field(description="The document this one implements")
    supersedes: DocumentRef | None = Field(description="The document this one amends or "
                                                       "replaces")
    supersession: Supersession | None = Field(description="amends or replaces (with "
                                                          "supersedes)")
    file_url: str | None = Field(description="Where to download the document's file")
    is_illustrative: bool = Field(description="Not from a published source")
    goals: list[GoalOut]

    @staticmethod
    def resolve_unit(obj: Document) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_supersession(obj: Document) -> str | None:
        return obj.supersession or None

    @staticmethod
    def resolve_file_url(obj: Document) -> str | None:
        if not obj.file:
            return None
        return reverse("api:programme_document_file", kwargs={"document_id": obj.pk})

    @staticmethod
    def resolve_goals(obj: Document) -> list[Any]:
        return list(obj.goals.all())


class DocumentDetailOut(DocumentOut):
    implemented_by: list[DocumentRef] = Field(description="Documents that implement this one")
    superseded_by: list[DocumentRef] = Field(description="Documents that amend or replace it")

    @staticmethod
    def resolve_implemented_by(obj: Document) -> list[Any]:
        return list(obj.implemented_by.all())

    @staticmethod
    def resolve_superseded_by(obj: Document) -> list[Any]:
        return list(obj.superseded_by.all())


# --- rolled-up figures ---------------------------------------------------------------------


class TermOut(Schema):
    kind: str = Field(description="task or group")
    id: int
    weight: Decimal
    progress: float


class FiguresOut(Schema):
    progress: float | None = Field(description="Weighted mean of the children's progress "
                                               "(percent); null when nothing counts")
    weight_total: Decimal = Field(description="The sum of the weights in that mean")
    terms: list[TermOut] = Field(description="The mean's terms: each child's weight and "
                                             "progress, so anyone can recompute it")
    tasks: int = Field(description="Tasks below, by any depth (those the user may read)")
    done: int
    late: int = Field(description="Overdue or done late")
    counts: dict[str, int] = Field(description="Tasks by status")


def figures_out(figures: Any) -> dict[str, Any]:
    """The roll-up's figures as the API shows them (computed by ``rollup.roll_up``)."""
    return {
        "progress": figures.progress, "weight_total": figures.weight_total,
        "terms": [{"kind": t.kind, "id": t.id, "weight": t.weight, "progress": t.progress}
                  for t in figures.terms],
        "tasks": figures.tasks, "done": figures.done, "late": figures.late,
        "counts": {status: figures.counts[status] for status in schedule.STATUSES},
    }


class GroupOut(FiguresOut):
    id: int
    parent: int | None = Field(description="The id of the group it is within")
    document: int
    code: str
    title: str
    title_en: str
    area: str = Field(description="foundations, digital_government, digital_economy, "
                                  "digital_society, or empty")
    weight: Decimal
    position: int
    depth: int = Field(description="0 for a top-level group")
    is_illustrative: bool


class DocumentProgressOut(FiguresOut):
    document: DocumentRef


# --- tasks ---------------------------------------------------------------------------------


class TaskOut(Schema):
    id: int
    code: str
    title: str
    title_en: str
    group: GroupRef
    document: DocumentRef
    lead_unit: ProgrammeUnitRef
    support_units: list[ProgrammeUnitRef]
    start_on: date
    due_on: date
    expected_output: str
    assigned_by: DocumentRef | None = Field(description="The document that assigned the task")
    weight: Decimal
    progress: int = Field(description="Accepted progress, percent")
    status: TaskStatus = Field(description="Derived from the dates, progress and closing, "
                                           "on the working-day calendar")
    status_label: str
    days_late: int = Field(description="Working days an overdue task is past its due date")
    at_risk: bool = Field(description="Open, not overdue, and due soon or well behind an "
                                      "even schedule")
    indicators: list[str] = Field(description="Codes of the linked indicators")
    dti_codes: list[str] = Field(description="Codes of the DTI main indicators it serves")
    done_on: date | None
    result_document: str
    cancelled_on: date | None
    cancel_reason: str
    is_illustrative: bool

    @staticmethod
    def resolve_document(obj: Task) -> Document:
        return obj.group.document

    @staticmethod
    def resolve_support_units(obj: Task) -> list[Any]:
        return sorted(obj.support_units.all(), key=lambda u: u.code)

    @staticmethod
    def resolve_status_label(obj: Task) -> str:
        return str(TaskStatus(obj.status).label)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_days_late(obj: Task, context: dict[str, Any]) -> int:
        if obj.status != schedule.OVERDUE:  # type: ignore[attr-defined]
            return 0
        clk = request_clock(context["request"])
        return schedule.days_late(obj.due_on, clk.today, clk.cal)

    @staticmethod
    def resolve_at_risk(obj: Task, context: dict[str, Any]) -> bool:
        today = request_clock(context["request"]).today
        return schedule.at_risk(obj.status, start_on=obj.start_on,  # type: ignore[attr-defined]
                                due_on=obj.due_on, progress=obj.progress, today=today)

    @staticmethod
    def resolve_indicators(obj: Task) -> list[str]:
        return sorted(i.code for i in obj.indicators.all())


class EvidenceOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    uploaded_at: datetime
    url: str = Field(description="Where to download it (with the same sign-in)")

    @staticmethod
    def resolve_url(obj: ReportEvidence) -> str:
        return reverse("api:programme_evidence_file", kwargs={"evidence_id": obj.pk})


class ReportOut(Schema):
    id: int
    task: int
    task_code: str
    period: str = Field(description="The reporting period: 2026Q3, 202609, 2026S2, 2026")
    unit: ProgrammeUnitRef = Field(description="The reporting unit")
    kind: ReportKind = Field(description="lead: the lead unit's report; support: a supporting "
                                         "unit's part")
    percent: int | None
    done_text: str
    obstacles: str
    proposals: str
    regression_reason: str
    completed_on: date | None
    result_document: str
    status: ReportStatus
    status_label: str
    previous: int | None = Field(description="The returned report this one resubmits")
    submitted_by: str | None
    submitted_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_comment: str
    evidence: list[EvidenceOut]
    is_illustrative: bool

    @staticmethod
    def resolve_task(obj: ProgressReport) -> int:
        return obj.task_id

    @staticmethod
    def resolve_task_code(obj: ProgressReport) -> str:
        return obj.task.code

    @staticmethod
    def resolve_status_label(obj: ProgressReport) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_previous(obj: ProgressReport) -> int | None:
        return obj.previous_id

    @staticmethod
    def resolve_submitted_by(obj: ProgressReport) -> str | None:
        return obj.submitted_by.username if obj.submitted_by else None

    @staticmethod
    def resolve_decided_by(obj: ProgressReport) -> str | None:
        return obj.decided_by.username if obj.decided_by else None

    @staticmethod
    def resolve_evidence(obj: ProgressReport) -> list[Any]:
        return list(obj.evidence.all())


class TaskEventOut(Schema):
    at: datetime
    kind: str
    label: str
    actor: str
    note: str
    report: int | None
    details: dict[str, Any]

    @staticmethod
    def resolve_label(obj: TaskEvent) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_actor(obj: TaskEvent) -> str:
        return obj.actor_label

    @staticmethod
    def resolve_report(obj: TaskEvent) -> int | None:
        return obj.report_id


class ReportAsOut(Schema):
    unit: str
    kind: ReportKind


class TaskDetailOut(TaskOut):
    reports: list[ReportOut]
    history: list[TaskEventOut] = Field(description="Every report and decision, in order")
    report_as: list[ReportAsOut] = Field(description="The units the requesting user may "
                                                     "report for on this task")

    @staticmethod
    def resolve_reports(obj: Task) -> list[Any]:
        return list(obj.reports.all())

    @staticmethod
    def resolve_history(obj: Task) -> list[Any]:
        return list(obj.events.all())

    @staticmethod
    def resolve_report_as(obj: Task, context: dict[str, Any]) -> list[dict[str, str]]:
        if obj.is_closed:
            return []
        return [{"unit": unit.code, "kind": kind}
                for unit, kind in reporting_units(context["request"].auth, obj)]
