"""Prints what Debian's django-prometheus 2.2 exposes after one page view, one failing view, two queries (one
failing) and a failed connection, so deploy/test/fleet-metrics.spec.ts can hold the recording rules and the
Django rule tests to the exporter's real metric names, label names and buckets.
Run with /usr/bin/python3 (Debian's Django and python3-django-prometheus)."""
import sys
import types

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path


def ok(request, username):
    return HttpResponse("ok")


def boom(request):
    return HttpResponse("failed", status=500)


urls = types.ModuleType("exposition_urls")
urls.urlpatterns = [path("u/<str:username>/", ok, name="public-profile"), path("boom/", boom, name="boom")]
sys.modules["exposition_urls"] = urls
settings.configure(
    DEBUG=False,
    LOGGING_CONFIG=None,
    ALLOWED_HOSTS=["*"],
    # The migrations gauges would open every database at startup, the broken one too.
    PROMETHEUS_EXPORT_MIGRATIONS=False,
    ROOT_URLCONF="exposition_urls",
    INSTALLED_APPS=["django_prometheus"],
    MIDDLEWARE=[
        "django_prometheus.middleware.PrometheusBeforeMiddleware",
        "django_prometheus.middleware.PrometheusAfterMiddleware",
    ],
    DATABASES={
        "default": {"ENGINE": "django_prometheus.db.backends.sqlite3", "NAME": ":memory:"},
        # A database that cannot be opened: one connection error.
        "broken": {"ENGINE": "django_prometheus.db.backends.sqlite3", "NAME": "/nonexistent/vigil/db.sqlite3"},
    },
)
django.setup()
from django.db import connection, connections
from django.test import Client
client = Client(raise_request_exception=False)
client.get("/u/ada/")
client.get("/boom/")
with connection.cursor() as cursor:
    cursor.execute("SELECT 1")
    try:
        cursor.execute("SELECT * FROM missing_table")
    except Exception:
        pass
try:
    connections["broken"].cursor()
except Exception:
    pass
from prometheus_client import REGISTRY, generate_latest
sys.stdout.write(generate_latest(REGISTRY).decode())
