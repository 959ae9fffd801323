"""Per-request correlation (request id, trace id, user id) carried in contextvars.

Set by ``vigil.django.middleware.RequestContextMiddleware`` (or by any framework glue); read by the JSON
log formatter and the audited admin, so logs and audit events of one request share their ids.
"""
import contextvars
from typing import Dict, Optional

request_id: "contextvars.ContextVar[Optional[str]]" = contextvars.ContextVar("vigil_request_id", default=None)
trace_id: "contextvars.ContextVar[Optional[str]]" = contextvars.ContextVar("vigil_trace_id", default=None)
user_id: "contextvars.ContextVar[Optional[str]]" = contextvars.ContextVar("vigil_user_id", default=None)


def current() -> Dict[str, Optional[str]]:
    return {"request_id": request_id.get(), "trace_id": trace_id.get(), "user_id": user_id.get()}
