"""gunicorn settings of the example profile site.

    /usr/bin/python3 -m gunicorn --chdir examples/django-profile -c examples/django-profile/gunicorn.conf.py \
        profile_site.wsgi

One worker process with threads: django-prometheus keeps its counters in the worker's memory, so with several
workers each scrape of /metrics would see one random worker's counters (rates jump, counters seem to reset).
Running more workers needs prometheus_client's multiprocess mode (PROMETHEUS_MULTIPROC_DIR and a collector
view) or django-prometheus' PROMETHEUS_METRICS_EXPORT_PORT_RANGE (one scrape target per worker); see README.md.
"""
import os

bind = os.environ.get("PROFILE_BIND", "127.0.0.1:8000")
workers = 1
threads = int(os.environ.get("PROFILE_THREADS", "4"))
# Graceful stop within the dev runner's and Kubernetes' SIGTERM windows.
graceful_timeout = 10
timeout = 30
# No access log: django-prometheus counts requests, and the app's JSON logs carry the request_id.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("PROFILE_GUNICORN_LOG_LEVEL", "info")
