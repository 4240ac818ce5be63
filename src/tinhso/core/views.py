"""Health check and error pages."""

from __future__ import annotations

import logging
import sys
from http import HTTPStatus

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tinhso import __version__
from tinhso.core.api_schemas import (
    RETRY_AFTER_SECONDS,
    database_unavailable_detail,
    server_error_detail,
)

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the database status when it answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("health check: database does not answer: %s", exc)
        return JsonResponse(
            {
                "status": "unavailable",
                "database": {"status": "unavailable", "vendor": connection.vendor,
                             "error": str(exc).strip() or exc.__class__.__name__},
                "version": __version__,
            },
            status=503,
        )
    return JsonResponse(
        {
            "status": "ok",
            "database": {"status": "ok", "vendor": connection.vendor},
            "version": __version__,
        }
    )


def _error(request: HttpRequest, status: int, exception: Exception | None = None) -> HttpResponse:
    message = ""
    if exception is not None and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
    if request.path_info.startswith("/api/"):  # the API answers JSON, even outside ninja
        return JsonResponse({"detail": message or HTTPStatus(status).phrase}, status=status)
    return render(request, "errors/error.html", {"status": status, "message": message},
                  status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(request, 400, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(request, 403, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(request, 404, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return api_server_error(sys.exc_info()[1])
    return _error(request, 500)


def api_server_error(exc: BaseException | None) -> JsonResponse:
    """An error outside the API's own handlers (a middleware, the session read while the
    database is down): 503 with Retry-After when the database does not answer, else 500; JSON
    without the traceback (Django has logged it)."""
    if isinstance(exc, (OperationalError, InterfaceError)):
        response = JsonResponse({"detail": database_unavailable_detail()}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"detail": server_error_detail()}, status=500)
