"""The API's error bodies, shared by every domain's router (core: any app may import them),
and the strict input types every router uses."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import BeforeValidator

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?"
                           r"(Z|[+-]\d{2}:?\d{2})?)?")


def _iso_date(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        return value.strip()
    raise ValueError(_("must be a date written YYYY-MM-DD (e.g. 2026-07-01)"))


def _iso_datetime(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATETIME.fullmatch(value.strip()):
        return value.strip()
    raise ValueError(_("must be a date and time written YYYY-MM-DDTHH:MM[:SS][+07:00] "
                       "(e.g. 2026-07-01T08:30:00+07:00)"))


# A date in an API input: only ISO 8601's YYYY-MM-DD (pydantic alone also reads a number of
# seconds since 1970, so "0" would be 1 January 1970).
ISODate = Annotated[date, BeforeValidator(_iso_date)]
# A date and time in an API input: ISO 8601 only (no number of seconds since 1970).
ISODateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    field: str
    message: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


# The answers of a server error under /api/ (the API's handlers and Django's handler500 alike).
RETRY_AFTER_SECONDS = 30


def database_unavailable_detail() -> str:
    return _("The database is not answering; try again in %(seconds)d seconds.") % {
        "seconds": RETRY_AFTER_SECONDS}


def server_error_detail() -> str:
    return _("An unexpected error occurred on the server; it has been logged.")
