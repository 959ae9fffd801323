"""Publishes the site's own (non-admin) audit events with the process's Vigil client (settings.VIGIL_AUDIT)."""
from django.http import HttpRequest
from vigil.django import get_audit_client


def publish_user_change(
    request: HttpRequest, action: str, resource: tuple[str, str], changes: dict, state: dict
) -> None:
    """One AuditEvent v1 for a user's own save: `changes` as {field: {before, after}}, `state` the record after it.

    The client fills id, occurred_at and source, redacts, and spools the event while Vigil is unreachable."""
    event = {
        "actor": {"type": "user", "id": str(request.user.pk)},
        "action": action,
        "resource": {"type": resource[0], "id": resource[1]},
        "outcome": "success",
        "changes": changes,
        # The whole state after the save: a detector can judge the result, not only what changed.
        "metadata": {"state": state},
        # Set by vigil.django.middleware.RequestContextMiddleware.
        "request_id": getattr(request, "request_id", None),
        "trace_id": getattr(request, "trace_id", None),
    }
    get_audit_client().publish(event)
