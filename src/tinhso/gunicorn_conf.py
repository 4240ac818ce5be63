"""gunicorn settings from the environment: `gunicorn -c python:tinhso.gunicorn_conf`.

PORT (default 8000) and BIND (default 127.0.0.1:$PORT) say where to listen; WEB_CONCURRENCY
(default 3) how many worker processes; FORWARDED_ALLOW_IPS which proxies may set the scheme.
WARM_UP (default 1) renders the main pages once in each new worker before it takes requests
(``tinhso.web.warmup``), so that the first visitor does not wait for the imports, templates and
translations; WARM_UP=0 skips it.
"""

import os
from typing import Any

bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "tinhso.wsgi:application"


def post_worker_init(worker: Any) -> None:
    """Runs in each worker once the application is loaded, before its first request."""
    if os.environ.get("WARM_UP", "1") in ("0", "false", "no"):
        return
    from tinhso.web.warmup import warm  # local: only once Django is set up in the worker

    statuses = warm()
    worker.log.info("tinhso worker %s warmed up: %s", worker.pid, statuses)
