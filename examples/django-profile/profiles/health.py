"""Health endpoints of seed 001 (liveness, readiness, the summary) and seed 000 §8.1 (/health/user_profile/)."""
import os
import platform
from datetime import datetime, timezone

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from .models import Profile


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


@require_GET
def liveness(request: HttpRequest) -> JsonResponse:
    """The process answers: no dependency is checked, so a database outage does not restart the app."""
    return JsonResponse({"status": "ok", "timestamp": now()})


@require_GET
def readiness(request: HttpRequest) -> JsonResponse:
    ok = database_ok()
    body = {"status": "ok" if ok else "error", "database": "connected" if ok else "unreachable", "timestamp": now()}
    return JsonResponse(body, status=200 if ok else 503)


@require_GET
def summary(request: HttpRequest) -> JsonResponse:
    ok = database_ok()
    body = {
        "status": "ok" if ok else "error",
        "version": settings.VERSION,
        "git_sha": os.environ.get("GIT_SHA", "unknown"),
        "database": "connected" if ok else "unreachable",
        "environment": settings.ENVIRONMENT,
        "python_version": platform.python_version(),
        "timestamp": now(),
    }
    return JsonResponse(body, status=200 if ok else 503)


def check_profiles() -> tuple[str, str]:
    """(database, privacy_settings): the UserProfile table answers; every profile has its PrivacySettings."""
    try:
        Profile.objects.exists()
        missing = Profile.objects.filter(privacy__isnull=True).count()
    except DatabaseError:
        return "error", "unknown"
    return "ok", "ok" if missing == 0 else f"missing for {missing} profiles"


def check_media_storage() -> str:
    root = settings.MEDIA_ROOT
    return "ok" if os.path.isdir(root) and os.access(root, os.W_OK) else "not writable"


@require_GET
def user_profile(request: HttpRequest) -> JsonResponse:
    database, privacy = check_profiles()
    checks = {"database": database, "privacy_settings": privacy, "media_storage": check_media_storage()}
    healthy = all(value == "ok" for value in checks.values())
    body = {"status": "healthy" if healthy else "unhealthy", "checks": checks, "timestamp": now()}
    return JsonResponse(body, status=200 if healthy else 503)
