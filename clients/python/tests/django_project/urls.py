import logging

from django.contrib import admin
from django.http import JsonResponse
from django.urls import path

log = logging.getLogger("profiles.views")


def whoami(request):
    log.info(
        "profile viewed",
        extra={"context": {"username": "johndoe", "password": "hunter2", "auth_token": "tok-123"}},
    )
    return JsonResponse({"request_id": request.request_id, "trace_id": request.trace_id})


def broken(request):
    try:
        1 / 0
    except ZeroDivisionError:
        log.exception("failed to load profile", extra={"context": {"viewer_id": 12345}})
    return JsonResponse({}, status=500)


urlpatterns = [
    path("admin/", admin.site.urls),
    path("whoami/", whoami),
    path("broken/", broken),
]
