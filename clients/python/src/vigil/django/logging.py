"""One JSON object per log line, with the fields the fleet's log pipeline expects.

``timestamp, level, logger, message, request_id, trace_id, user_id, context`` (+ ``exc_info`` as text),
ids taken from the request context that ``RequestContextMiddleware`` set. ``context`` comes from
``logger.info("...", extra={"context": {...}})`` and passes through the key-name redaction.
Needs no Django: any stdlib logging setup can use it.
"""
import datetime
import json
import logging

from vigil import context as request_context
from vigil.event import to_json_value
from vigil.redaction import KeyRedactor


def _json_default(value):
    try:
        return to_json_value(value)
    except TypeError:
        return repr(value)


class JsonFormatter(logging.Formatter):
    def __init__(self, *args, sensitive_keys=(), service=None, environment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.redactor = KeyRedactor(sensitive_keys)
        self.static = {k: v for k, v in (("service", service), ("environment", environment)) if v}

    def format(self, record: logging.LogRecord) -> str:
        ids = request_context.current()
        entry = {
            "timestamp": datetime.datetime.fromtimestamp(record.created, datetime.timezone.utc)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **self.static,
        }
        for key in ("request_id", "trace_id", "user_id"):
            # An explicit extra={"user_id": ...} wins over the request context.
            value = getattr(record, key, None) or ids[key]
            entry[key] = None if value is None else str(value)
        extra_context = getattr(record, "context", None)
        if extra_context is not None:
            entry["context"] = self.redactor.redact(
                extra_context if isinstance(extra_context, dict) else {"value": extra_context}
            )
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc_info"] = record.exc_text
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=_json_default)
