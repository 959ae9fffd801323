"""AuditEvent v1 (libs/contracts/src/audit-event.v1.ts): filling defaults and checking the shape locally.

A publisher learns about a malformed event from a ValueError at the call site, not from a 207 in a
background thread minutes later.
"""
import datetime
import decimal
import json
import re
import uuid
from typing import Any, Dict, List

from .redaction import KeyRedactor

ACTOR_TYPES = ("user", "admin", "service", "system")
OUTCOMES = ("success", "failure", "denied")
EVENT_MAX_BYTES = 64 * 1024
METADATA_MAX_BYTES = 16 * 1024
INDEXED_TEXT_CHARS = 256

SOURCE_PATTERN = re.compile(r"^[a-z0-9_-]{1,64}$")
ACTION_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_OFFSET_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

_TOP_LEVEL = {
    "id", "occurred_at", "source", "tenant_id", "actor", "action", "resource", "outcome",
    "changes", "metadata", "request_id", "trace_id",
}


def now_iso() -> str:
    """Now, in UTC with an explicit offset and millisecond precision."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")


def to_json_value(value: Any) -> Any:
    """``json.dumps`` default: the types a Django model holds become text; anything else is an error."""
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _json_size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=to_json_value).encode("utf-8"))


def _check_text(errors: List[str], path: str, value: Any, max_chars: int = INDEXED_TEXT_CHARS) -> None:
    if not isinstance(value, str) or not value:
        errors.append(f"{path} must be a non-empty string")
    elif len(value) > max_chars:
        errors.append(f"{path} must be at most {max_chars} characters")
    elif "\x00" in value:
        errors.append(f"{path} must not contain NUL")


def _check_strict_object(errors: List[str], path: str, value: Any, required: tuple, optional: tuple = ()) -> bool:
    if not isinstance(value, dict):
        errors.append(f"{path} must be an object with {', '.join(required)}")
        return False
    unknown = sorted(set(value) - set(required) - set(optional))
    if unknown:
        errors.append(f"{path} has unknown keys: {', '.join(unknown)}")
    return True


def validation_errors(event: Dict[str, Any]) -> List[str]:
    """Every reason ``event`` is not an AuditEvent v1; never quotes a value (they may be personal data)."""
    errors: List[str] = []
    unknown = sorted(k for k in event if k not in _TOP_LEVEL)
    if unknown:
        errors.append(f"unknown keys: {', '.join(unknown)}")
    for key in ("actor", "action", "resource", "outcome"):
        if key not in event:
            errors.append(f"{key} is required")
    try:
        uuid.UUID(str(event.get("id")))
    except ValueError:
        errors.append("id must be a UUID")
    occurred_at = event.get("occurred_at")
    if not isinstance(occurred_at, str) or not _OFFSET_TIME.match(occurred_at):
        errors.append("occurred_at must be an ISO-8601 time with Z or a numeric offset")
    if not isinstance(event.get("source"), str) or not SOURCE_PATTERN.match(event["source"]):
        errors.append("source must be 1-64 characters of [a-z0-9_-]")
    actor = event.get("actor")
    if "actor" in event and _check_strict_object(errors, "actor", actor, ("type", "id"), ("ip",)):
        if actor.get("type") not in ACTOR_TYPES:
            errors.append(f"actor.type must be one of {', '.join(ACTOR_TYPES)}")
        _check_text(errors, "actor.id", actor.get("id"))
        if "ip" in actor:
            _check_text(errors, "actor.ip", actor["ip"], 64)
    action = event.get("action")
    if "action" in event and (
        not isinstance(action, str) or len(action) > INDEXED_TEXT_CHARS or not ACTION_PATTERN.match(action)
    ):
        errors.append("action must be dot.case, e.g. privacy.settings.updated")
    resource = event.get("resource")
    if "resource" in event and _check_strict_object(errors, "resource", resource, ("type", "id")):
        _check_text(errors, "resource.type", resource.get("type"))
        _check_text(errors, "resource.id", resource.get("id"))
    if "outcome" in event and event["outcome"] not in OUTCOMES:
        errors.append(f"outcome must be one of {', '.join(OUTCOMES)}")
    changes = event.get("changes")
    if changes is not None:
        if not isinstance(changes, dict):
            errors.append("changes must be an object of {field: {before, after}}")
        else:
            for field, change in changes.items():
                if not isinstance(change, dict) or set(change) - {"before", "after"}:
                    errors.append(f"changes.{field} must be an object with only before and after")
    metadata = event.get("metadata")
    if metadata is not None:
        if not isinstance(metadata, dict):
            errors.append("metadata must be an object")
        else:
            try:
                if _json_size(metadata) > METADATA_MAX_BYTES:
                    errors.append(f"metadata must serialize to at most {METADATA_MAX_BYTES} bytes of JSON")
            except (TypeError, ValueError) as err:
                errors.append(f"metadata is not JSON: {err}")
    for key in ("request_id", "trace_id", "tenant_id"):
        if key in event:
            _check_text(errors, key, event[key])
    if not errors:
        try:
            if _json_size(event) > EVENT_MAX_BYTES:
                errors.append(f"the event must serialize to at most {EVENT_MAX_BYTES} bytes of JSON")
        except (TypeError, ValueError) as err:
            errors.append(f"the event is not JSON: {err}")
    return errors


def prepare(event: Dict[str, Any], source: str, redactor: KeyRedactor) -> Dict[str, Any]:
    """A complete, redacted, JSON-ready copy of ``event``; raises ValueError naming every problem."""
    if not isinstance(event, dict):
        raise ValueError("an audit event must be a dict")
    out = dict(event)
    out.setdefault("id", str(uuid.uuid4()))
    out.setdefault("occurred_at", now_iso())
    out.setdefault("source", source)
    for key in ("request_id", "trace_id", "tenant_id"):
        if out.get(key) is None:
            out.pop(key, None)
    if isinstance(out.get("occurred_at"), datetime.datetime):
        when = out["occurred_at"]
        if when.tzinfo is None:
            raise ValueError("invalid audit event: occurred_at must carry a time zone")
        out["occurred_at"] = when.isoformat()
    if "changes" in out:
        out["changes"] = redactor.redact_changes(out["changes"])
    if "metadata" in out:
        out["metadata"] = redactor.redact(out["metadata"])
    errors = validation_errors(out)
    if errors:
        raise ValueError("invalid audit event: " + "; ".join(errors))
    # A JSON round trip: what is spooled and sent is exactly what was validated.
    return json.loads(json.dumps(out, default=to_json_value, allow_nan=False))
