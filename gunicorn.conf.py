"""Gunicorn settings shared by the Procfile and `make run` (they add --bind)."""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("FEEDS_THREADS", "4"))
keepalive = 5
accesslog = "-"
errorlog = "-"
