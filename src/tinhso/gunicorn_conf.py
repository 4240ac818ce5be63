"""gunicorn settings from the environment: `gunicorn -c python:tinhso.gunicorn_conf`.

PORT (default 8000) and BIND (default 127.0.0.1:$PORT) say where to listen; WEB_CONCURRENCY
(default 3) how many worker processes; FORWARDED_ALLOW_IPS which proxies may set the scheme.
"""

import os

bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "tinhso.wsgi:application"
