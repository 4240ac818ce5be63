"""``/healthz/worker``: is the task worker working? (Here, not in core: core imports no app.)"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Case, Count, F, Min, When
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from tinhso import __version__
from tinhso.ops.selectors import worker_liveness

logger = logging.getLogger(__name__)


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
