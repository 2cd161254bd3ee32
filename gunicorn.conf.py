"""gunicorn settings for production (`make serve` runs it locally). Read from the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND") or "127.0.0.1:8000"
# Django is CPU-bound between database round trips: processes for the cores, a few threads
# each to overlap the waits on Postgres.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
# gthread, plus /healthz answered by the worker's main thread while every thread is busy
# (see server/workers.py).
worker_class = "server.workers.HealthProbeThreadWorker"
# A request may take at most this long before the worker is replaced; the database statement
# timeout (DATABASE_STATEMENT_TIMEOUT) ends slow queries well before.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)
graceful_timeout = 30
# Longer than a load balancer's idle timeout (60 s on most), so the balancer closes idle
# connections first and never sends a request down one the server is closing.
keepalive = 75
# Recycle workers now and then so a slow leak can never take a server down. Not too often:
# a new worker starts with an empty page cache and compiles its templates on first use (about
# a second of CPU), and a page-cache hit is under a millisecond, so at 2,000 requests every
# worker was recycled every few seconds under load (bench/README.md, "Speed figures").
max_requests = 50_000
max_requests_jitter = 5_000
# Only Django decides whether a request came over HTTPS (TRUST_X_FORWARDED_PROTO).
secure_scheme_headers = {}
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logger_class = "psc_portal.logs.JsonGunicornLogger"
wsgi_app = "psc_portal.wsgi:application"
# No runtime control socket: one fixed path would collide between instances on one machine.
control_socket_disable = True


def post_worker_init(worker):
    """Bound every database wait of this worker (DATABASE_QUERY_WAIT_SECONDS).

    Only here, in the web workers: management commands keep libpq's own waits. Imported here
    because this file is read by the gunicorn master before Django is set up.
    """
    from django.conf import settings

    from server.dbtimeout import install

    install(settings.DATABASE_QUERY_WAIT_SECONDS)
