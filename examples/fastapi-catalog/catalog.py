"""A small FastAPI catalogue service exporting prometheus-fastapi-instrumentator's default metrics.

The instrumentator is not packaged by Debian, so `InstrumentatorMiddleware` below reproduces its defaults
(v6/v7, `Instrumentator().instrument(app).expose(app)`) with python3-prometheus-client, name for name:
  http_requests_total{handler,method,status}        status grouped: "2xx", "4xx", "5xx"
  http_request_duration_seconds{handler,method}     histogram, buckets 0.1, 0.5, 1, +Inf
  http_request_duration_highr_seconds               histogram without labels, 21 buckets + +Inf
  http_request_size_bytes{handler} / http_response_size_bytes{handler}   summaries of Content-Length
`handler` is the route's path template ("/items/{item_id}"); a request matching no route is "none".

    cd examples/fastapi-catalog && /usr/bin/python3 -m uvicorn catalog:app --host 127.0.0.1 --port 8001
"""
import json
import logging
import sys
from datetime import datetime, timezone
from timeit import default_timer

from fastapi import FastAPI, Header, HTTPException, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, Summary, generate_latest
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LATENCY_HIGHR_BUCKETS = (0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 7.5, 10, 30, 60)
LATENCY_LOWR_BUCKETS = (0.1, 0.5, 1)

REQUESTS = Counter(
    "http_requests_total", "Total number of requests by method, status and handler.", ("method", "status", "handler")
)
REQUEST_SIZE = Summary("http_request_size_bytes", "Content length of incoming requests by handler.", ("handler",))
RESPONSE_SIZE = Summary("http_response_size_bytes", "Content length of outgoing responses by handler.", ("handler",))
LATENCY_HIGHR = Histogram(
    "http_request_duration_highr_seconds",
    "Latency with many buckets but no API specific labels.",
    buckets=LATENCY_HIGHR_BUCKETS,
)
LATENCY = Histogram(
    "http_request_duration_seconds",
    "Latency with only few buckets by handler.",
    ("method", "handler"),
    buckets=LATENCY_LOWR_BUCKETS,
)


class JsonFormatter(logging.Formatter):
    """Seed 001's structured log line (the Django example uses Vigil's client for this; this app has no Vigil code)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "timestamp": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": "fastapi-catalog",
            "logger": record.name,
            "message": record.getMessage(),
        }
        if isinstance(getattr(record, "context", None), dict):
            entry["context"] = record.context
        return json.dumps(entry)


handler = logging.StreamHandler(sys.stdout)
handler.setFormatter(JsonFormatter())
logger = logging.getLogger("catalog")
logger.addHandler(handler)
logger.setLevel(logging.INFO)


def route_template(app: ASGIApp, scope: Scope) -> str | None:
    """The path template of the route that matches, as the instrumentator's routing.get_route_name finds it."""
    for route in getattr(app, "routes", []):
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return route.path
    return None


class InstrumentatorMiddleware:
    """ASGI middleware recording what the instrumentator's `metrics.default()` records, for every request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = default_timer()
        handler_name = route_template(scope["app"], scope) or "none"
        status_code = 500
        response_headers: list = []
        end = None

        async def send_wrapper(message: Message) -> None:
            nonlocal status_code, response_headers, end
            if message["type"] == "http.response.start":
                status_code = message["status"]
                response_headers = message.get("headers", [])
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                end = default_timer()
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            duration = max((end or default_timer()) - start, 0.0)
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            out = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in response_headers}
            REQUESTS.labels(scope["method"], f"{str(status_code)[0]}xx", handler_name).inc()
            REQUEST_SIZE.labels(handler_name).observe(int(headers.get("content-length", 0) or 0))
            RESPONSE_SIZE.labels(handler_name).observe(int(out.get("content-length", 0) or 0))
            LATENCY_HIGHR.observe(duration)
            LATENCY.labels(method=scope["method"], handler=handler_name).observe(duration)


app = FastAPI(title="catalog")
app.add_middleware(InstrumentatorMiddleware)

ITEMS = {1: {"id": 1, "name": "Starter pack", "price": 120}, 2: {"id": 2, "name": "Season pass", "price": 900}}


class FailureOnPurpose(RuntimeError):
    """?fail=1 or X-Fail-On-Purpose: 1 answers 500: load tests shape a 5xx share with it."""


def fail_if_asked(fail: str | None, header: str | None) -> None:
    if fail == "1" or header == "1":
        raise FailureOnPurpose("failure requested by the client")


@app.exception_handler(FailureOnPurpose)
async def failure_on_purpose(request: Request, exc: FailureOnPurpose) -> Response:
    logger.error("request failed on purpose", extra={"context": {"path": request.url.path}})
    return Response(
        json.dumps({"error": "internal_error", "message": "failed on purpose"}), 500, media_type="application/json"
    )


@app.get("/items")
def list_items(fail: str | None = None, x_fail_on_purpose: str | None = Header(default=None)) -> dict:
    fail_if_asked(fail, x_fail_on_purpose)
    return {"items": list(ITEMS.values())}


@app.get("/items/{item_id}")
def get_item(item_id: int, fail: str | None = None, x_fail_on_purpose: str | None = Header(default=None)) -> dict:
    fail_if_asked(fail, x_fail_on_purpose)
    if item_id not in ITEMS:
        raise HTTPException(404, "no such item")
    return ITEMS[item_id]


@app.get("/health/liveness")
def liveness() -> dict:
    return {"status": "ok"}


@app.get("/health/readiness")
def readiness() -> dict:
    return {"status": "ok"}


@app.get("/metrics")
def metrics() -> Response:
    # As the instrumentator's expose(): the /metrics route itself is counted under handler "/metrics".
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
