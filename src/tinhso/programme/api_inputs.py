"""The programme API's request schemas: the filters of the lists and the bodies of the writes.

A text with a NUL character is refused as an invalid field (no database stores one), and dates
are read as people type them (2026-12-31 or 31/12/2026), so bad input is a 422 naming the field.
"""

from datetime import date
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BeforeValidator, field_validator

from tinhso.core.api_files import DocumentIn
from tinhso.core.dates import parse_date
from tinhso.programme.models import ReportStatus, TaskStatus


def _vn_date(value: Any) -> Any:
    """Dates as people type them: 2026-12-31 or 31/12/2026."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("contains a NUL character")
        return parse_date(value)
    return value


VNDate = Annotated[date, BeforeValidator(_vn_date)]


class CleanSchema(Schema):
    """Refuses a text with a NUL character (no database stores one) as an invalid field."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("contains a NUL character")
        return value


class TaskFilter(CleanSchema):
    unit: str | None = Field(None, description="A unit code: tasks it (or a unit below it) "
                                               "leads or supports", max_length=100)
    lead_unit: str | None = Field(None, description="A unit code: tasks it (or a unit below "
                                                    "it) leads", max_length=100)
    document: str | None = Field(None, description="A document's id or number and symbol "
                                                   "(10633/KH-UBND)", max_length=100)
    group: str | None = Field(None, description=(
        "A group's code within `document` (2, 2.1), or its id: the tasks of the group and of "
        "the groups within it"), max_length=100)
    status: TaskStatus | None = Field(None, description="One of the derived statuses")
    overdue: bool | None = Field(None, description="true: the overdue tasks; false: the "
                                                   "others")
    due_before: VNDate | None = Field(None, description="Due on or before (2026-12-31 or "
                                                        "31/12/2026)")
    due_after: VNDate | None = Field(None, description="Due on or after (2026-01-01 or "
                                                       "01/01/2026)")
    indicator: str | None = Field(None, description="A linked indicator's code",
                                  max_length=100)
    dti: str | None = Field(None, description="A DTI main indicator's code (chinh_quyen_so)",
                            pattern=r"^[A-Za-z0-9_]{1,60}$")


class ReportFilter(CleanSchema):
    task: int | None = Field(None, description="A task's id", ge=1, le=2**31 - 1)
    status: ReportStatus | None = None
    unit: str | None = Field(None, description="A reporting unit's code", max_length=100)


class EvidenceIn(DocumentIn, CleanSchema):
    """A file in JSON: its name and base64 content."""


class ReportIn(CleanSchema):
    period: str = Field(description="The reporting period (2026Q3 with quarterly reporting)",
                        max_length=10)
    percent: int | None = Field(None, ge=0, le=100, description=(
        "Percent complete (the lead unit's report; a supporting unit's part has none)"))
    done_text: str = Field(description="What was done")
    obstacles: str = ""
    proposals: str = ""
    regression_reason: str = Field("", description="Required when the percent is below the "
                                                   "task's accepted progress")
    completed_on: VNDate | None = Field(None, description="At 100 %: when the work was "
                                                          "completed")
    result_document: str = Field("", description="The output's number and symbol "
                                                 "(123/QĐ-UBND)", max_length=60)
    unit: str | None = Field(None, description="The reporting unit's code: a supporting "
                                               "unit's part (default: the lead unit)",
                             max_length=100)
    evidence: list[EvidenceIn] = Field(default_factory=list, description=(
        "Evidence files: PDF, JPEG, PNG, .docx or .xlsx, at most 10 MB each"))


class DecisionIn(CleanSchema):
    comment: str = Field("", description="The coordinator's comment (required to return)")
