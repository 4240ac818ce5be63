"""Health check and error pages."""

from __future__ import annotations

import logging
import sys
from http import HTTPStatus

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.models import Case, Count, F, Min, When
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from tinhso import __version__
from tinhso.core.api_schemas import (
    RETRY_AFTER_SECONDS,
    database_unavailable_detail,
    server_error_detail,
)
from tinhso.ops.selectors import worker_liveness

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


@never_cache
@require_GET
def healthz_worker(request: HttpRequest) -> JsonResponse:
    """200 while no task has waited, ready to run, longer than TINHSO_WORKER_LATE_SECONDS; 503
    when one has (no worker, or one that cannot keep up), naming each queue and its oldest
    waiting task's age in seconds. A deferred task counts from its ``run_after``. Also 503
    when tasks are ready and no worker is alive (none with a heartbeat within
    TINHSO_WORKER_DEAD_SECONDS); ``running_on_dead_workers`` counts the tasks a killed worker
    left running, which the next live worker puts back in the queue."""
    threshold = float(getattr(settings, "TINHSO_WORKER_LATE_SECONDS", 300))
    try:
        rows = list(DBTaskResult.objects.ready()
                    .annotate(due=Case(When(run_after=get_date_max(), then=F("enqueued_at")),
                                       default=F("run_after")))
                    .values("backend_name", "queue_name")
                    .annotate(waiting=Count("id"), oldest=Min("due"))
                    .order_by("backend_name", "queue_name"))
        running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()
        liveness = worker_liveness(timezone.now())
    except DatabaseError as exc:
        logger.warning("worker health check: database does not answer: %s", exc)
        return JsonResponse({"status": "unavailable", "version": __version__,
                             "database": {"status": "unavailable",
                                          "error": str(exc).strip() or exc.__class__.__name__}},
                            status=503)
    now = timezone.now()
    queues = [{"backend": row["backend_name"], "queue": row["queue_name"],
               "waiting": row["waiting"],
               "oldest_seconds": round(max(0.0, (now - row["oldest"]).total_seconds()), 1)}
              for row in rows]
    late = [q for q in queues if q["oldest_seconds"] > threshold]
    no_worker = bool(queues) and liveness.alive == 0
    status = "no_worker" if no_worker else "late" if late else "ok"
    return JsonResponse({"status": status, "threshold_seconds": threshold,
                         "queues": queues, "late": late, "running": running,
                         "workers_alive": liveness.alive,
                         "running_on_dead_workers": liveness.running_on_dead,
                         "dead_seconds": liveness.dead_seconds, "version": __version__},
                        status=503 if late or no_worker else 200)


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
