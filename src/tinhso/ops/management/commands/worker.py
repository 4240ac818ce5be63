"""``tinhso worker``: django-tasks-db's ``db_worker`` (same options) that waits for the database
and reconnects instead of exiting when it is down or restarts (tinhso.ops.worker)."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from tinhso.ops.worker import ResilientWorker


class Command(DbWorkerCommand):
    help = ("Run the background task worker (db_worker's options); it waits for the database "
            "and reconnects when it is down or restarts")

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--backoff-max", type=float,
            default=float(getattr(settings, "TINHSO_WORKER_BACKOFF_MAX_SECONDS", 30)),
            help="Longest wait, in seconds, between two tries to reach the database "
                 "(default: TINHSO_WORKER_BACKOFF_MAX_SECONDS)")

    def handle(self, *, verbosity: int, queue_name: str, interval: float, batch: bool,
               backend_name: str, startup_delay: bool, reload: bool, max_tasks: int | None,
               worker_id: str, exclude_queues: str, **options: Any) -> None:
        self.configure_logging(verbosity)
        backoff_max = float(options["backoff_max"])
        if backoff_max <= 0:
            raise CommandError("--backoff-max must be greater than zero")
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            backoff_max=backoff_max, queue_names=queue_names, excluded_queue_names=excluded,
            interval=interval, batch=batch, backend_name=backend_name,
            startup_delay=startup_delay, max_tasks=max_tasks, worker_id=worker_id)
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
