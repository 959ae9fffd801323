"""Publishes the site's own (non-admin) audit events with Vigil's Python client, configured by VIGIL_AUDIT."""
import uuid
from datetime import datetime, timezone
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from vigil import AuditClient


@lru_cache(maxsize=1)
def audit_client() -> AuditClient:
    config = settings.VIGIL_AUDIT
    return AuditClient(config["URL"], config["API_KEY"], config["SOURCE"])


def request_id_of(request: HttpRequest) -> str | None:
    return getattr(request, "request_id", None) or request.META.get("HTTP_X_REQUEST_ID")


def publish_user_change(
    request: HttpRequest, action: str, resource: tuple[str, str], changes: dict, state: dict
) -> None:
    """One AuditEvent v1 for a user's own save: `changes` as {field: {before, after}}, `state` the record after it."""
    event = {
        "id": str(uuid.uuid4()),
        "occurred_at": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
        "source": settings.VIGIL_AUDIT["SOURCE"],
        "actor": {"type": "user", "id": str(request.user.pk)},
        "action": action,
        "resource": {"type": resource[0], "id": resource[1]},
        "outcome": "success",
        "changes": changes,
        # The whole state after the save: a detector can judge the result, not only what changed.
        "metadata": {"state": state},
    }
    request_id = request_id_of(request)
    if request_id:
        event["request_id"] = request_id
    audit_client().publish(event)
