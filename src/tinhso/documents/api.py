"""The document office through the API (mounted at /api/v1/documents/): the search and one
document's metadata, for staff, each seeing ``access.visible_documents``; a document one may
not see is answered 404, as one that does not exist. Every opening of a document is logged
(``access.log_access``). Files and writes stay on the pages.
"""

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError

from tinhso.accounts.api_auth import AUTH
from tinhso.accounts.models import UserKind
from tinhso.core.api_schemas import ErrorOut, ValidationErrorOut
from tinhso.documents.access import document_for
from tinhso.documents.models import Document
from tinhso.documents.search import DocumentQuery, search

router = Router(tags=["documents"], auth=AUTH)

MAX_OFFSET = 10_000
BIGGEST_ID = 2**63 - 1
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut}


class OfficialDocumentFilter(Schema):
    q: str = Field("", description="Words of the subject, number, issuer... with or without "
                                   "diacritics ('bo chi so dti' finds 'Bộ chỉ số DTI')")
    code: str = Field("", description="Number and notation ('405/QĐ-BKHCN'), or the number")
    issuer: str = Field("", description="Issuing organisation: its code, or part of its name")
    date_from: str = Field("", description="Issued on or after (dd/mm/yyyy or YYYY-MM-DD)")
    date_to: str = Field("", description="Issued on or before (dd/mm/yyyy or YYYY-MM-DD)")
    status: str = Field("", description="registered, directed, handling, answered, closed, "
                                        "draft, issued or sent")
    direction: str = Field("", description="in (incoming) or out (outgoing)")
    year: int | None = Field(None, ge=1900, le=2999, description="Register year")
    unit: str = Field("", description="Registering unit's code (and the units below it)")
    limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1,
                       le=settings.NINJA_PAGINATION_MAX_LIMIT, description="How many at most")
    offset: int = Field(0, ge=0, le=MAX_OFFSET,
                        description=f"How many to skip (at most {MAX_OFFSET:,}: narrow the "
                                    "search instead)")


class OfficialUnitRef(Schema):
    code: str
    name: str


class OfficialDocumentOut(Schema):
    id: int
    direction: str
    unit: OfficialUnitRef
    year: int
    code: str = Field(description="Number and notation as printed ('405/QĐ-BKHCN')")
    number: int | None
    notation: str
    arrival_number: int | None
    issuer_code: str
    issuer_name: str
    kind: str
    issued_on: date | None
    subject: str
    status: str
    confidential: bool
    due_on: date | None
    created_at: datetime


class OfficialDocumentDetailOut(OfficialDocumentOut):
    signer_name: str
    signer_position: str
    priority: str
    page_count: int | None
    electronic: bool
    recipients: list[OfficialUnitRef] = Field(description="Addressees (organisation code and name)")
    attachments: list[str] = Field(description="Names of the attached files")

    @staticmethod
    def resolve_recipients(document: Document) -> list[dict[str, str]]:
        return [{"code": r.organ_code, "name": r.organ_name} for r in document.recipients.all()]

    @staticmethod
    def resolve_attachments(document: Document) -> list[str]:
        return [a.name for a in document.attachments.all()]


class OfficialDocumentPageOut(Schema):
    items: list[OfficialDocumentOut]
    limit: int
    offset: int
    more: bool = Field(description="Another page follows")


def _staff(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if not (user.is_superuser or user.kind == UserKind.STAFF):
        raise PermissionDenied(_("Official documents are for the agencies' staff."))
    return user


def _query(filters: OfficialDocumentFilter) -> DocumentQuery:
    """The search asked for, or a 422 naming each bad parameter."""
    try:
        return DocumentQuery.parse(filters.dict())
    except ValidationError as error:
        raise NinjaValidationError([
            {"loc": ("query", field), "msg": " ".join(messages)}
            for field, messages in error.message_dict.items()]) from None


@router.get("/", response={200: OfficialDocumentPageOut, **ERRORS},
            summary="Search the official documents one may see",
            description="Newest first, by any of: words (without diacritics too), number and "
                        "notation, issuer, issue dates, status, direction, year, unit. "
                        "`more` says whether another page follows (no total is counted).")
def list_documents(request: HttpRequest, filters: Query[OfficialDocumentFilter]) -> Any:
    user = _staff(request)
    page = search(user, _query(filters), limit=filters.limit, offset=filters.offset)
    return {"items": page.rows, "limit": filters.limit, "offset": filters.offset,
            "more": page.more}


@router.get("/{document_id}", response={200: OfficialDocumentDetailOut, 404: ErrorOut, **ERRORS},
            summary="One official document's metadata",
            description="Answered 404 when it does not exist or one may not see it. The "
                        "opening is logged, as on its page.")
def get_document(request: HttpRequest, document_id: int) -> Any:
    user = _staff(request)
    if document_id > BIGGEST_ID:
        raise Http404(_("No such document."))
    return document_for(user, document_id, what="api")
