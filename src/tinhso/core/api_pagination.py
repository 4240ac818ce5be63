"""The one pagination of the API's lists: ``limit`` and ``offset`` as ninja's
LimitOffsetPagination, each bounded, so that an offset no database can hold (above 2^63-1) is a
422 naming the field, not a 500."""

from __future__ import annotations

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_OFFSET = 1_000_000_000


class Pagination(LimitOffsetPagination):
    """``@paginate(Pagination)``: ``limit`` 1..NINJA_PAGINATION_MAX_LIMIT (default
    NINJA_PAGINATION_PER_PAGE), ``offset`` 0..1,000,000,000."""

    class Input(Schema):
        limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1,
                           le=settings.NINJA_PAGINATION_MAX_LIMIT,
                           description="How many items at most")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip")
