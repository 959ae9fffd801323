"""Request correlation for Django: ``x-request-id`` and W3C ``traceparent``, in and out."""
import re
import secrets
import uuid
from typing import Optional, Tuple

from vigil import context

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
# version-traceid-parentid-flags; future versions may append fields after another dash.
TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$")


def accept_request_id(value: Optional[str]) -> str:
    """The caller's id when it is 1-128 characters of [A-Za-z0-9._-]; otherwise a new UUID."""
    if value and REQUEST_ID.match(value):
        return value
    return str(uuid.uuid4())


def parse_traceparent(value: Optional[str]) -> Optional[Tuple[str, str]]:
    """(trace id, flags) of a valid traceparent, else None."""
    match = TRACEPARENT.match(value.strip()) if value else None
    if not match:
        return None
    version, trace, parent, flags, rest = match.groups()
    if version == "ff" or (version == "00" and rest) or set(trace) == {"0"} or set(parent) == {"0"}:
        return None
    return trace, flags


def next_traceparent(incoming: Optional[str]) -> Tuple[str, str]:
    """(trace id, traceparent for this request's span): keeps a valid caller's trace, else starts one."""
    parsed = parse_traceparent(incoming)
    trace, flags = parsed if parsed else (secrets.token_hex(16), "01")
    return trace, f"00-{trace}-{secrets.token_hex(8)}-{flags}"


def client_ip(request) -> Optional[str]:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client wrote unless a trusted proxy sets it.
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Put it first in MIDDLEWARE so every log line of the request carries its ids."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accept_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        trace_id, traceparent = next_traceparent(request.META.get("HTTP_TRACEPARENT"))
        request.request_id, request.trace_id, request.traceparent = request_id, trace_id, traceparent
        tokens = (
            context.request_id.set(request_id),
            context.trace_id.set(trace_id),
            context.user_id.set(None),
        )
        try:
            response = self.get_response(request)
        finally:
            context.user_id.reset(tokens[2])
            context.trace_id.reset(tokens[1])
            context.request_id.reset(tokens[0])
        response["X-Request-ID"] = request_id
        response["traceparent"] = traceparent
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Runs after every middleware's request phase, so AuthenticationMiddleware has set request.user.
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            context.user_id.set(str(user.pk))
        return None
