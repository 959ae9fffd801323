"""One HTTP exchange with the audit intake: ``POST {url}/audit/v1/events`` with a JSON array."""
import email.utils
import json
import time
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional

from . import __version__

EVENTS_PATH = "/audit/v1/events"


class Reply:
    """What the server answered; ``status`` 0 means no answer (refused, reset, timed out)."""

    def __init__(self, status: int, headers: Optional[Dict[str, str]] = None, body: Any = None, error: str = ""):
        self.status = status
        self.headers = {k.lower(): v for k, v in (headers or {}).items()}
        self.body = body
        self.error = error

    def retry_after(self, now: Optional[float] = None) -> Optional[float]:
        """Seconds the server asked us to wait (``Retry-After`` as seconds or an HTTP date)."""
        value = self.headers.get("retry-after")
        if not value:
            return None
        value = value.strip()
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - (time.time() if now is None else now))

    def message(self) -> str:
        if self.error:
            return self.error
        if isinstance(self.body, dict):
            return str(self.body.get("message") or self.body.get("error") or "")
        return ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect comes back as an answer: followed, a POST would become a GET whose 200 means nothing."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _parse_body(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError):
        return None


def post_events(url: str, api_key: str, events: List[Dict[str, Any]], timeout: float) -> Reply:
    body = json.dumps(events, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url.rstrip("/") + EVENTS_PATH,
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {api_key}",
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": f"vigil-python/{__version__}",
        },
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            return Reply(response.status, dict(response.headers.items()), _parse_body(response.read()))
    except urllib.error.HTTPError as err:
        try:
            raw = err.read()
        except OSError:
            raw = b""
        return Reply(err.code, dict(err.headers.items()) if err.headers else {}, _parse_body(raw))
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        return Reply(0, error=f"{type(err).__name__}: {reason}")
