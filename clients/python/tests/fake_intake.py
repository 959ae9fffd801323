"""A stand-in for the audit service's HTTP intake: stores events by id (idempotent) and answers
with scripted replies, so the client protocol can be driven through every answer the contract allows."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple

Reply = Tuple[int, Dict[str, str], Any]


class FakeIntake:
    def __init__(self, api_key: str = "test-key", port: int = 0):
        self.api_key = api_key
        self.stored: Dict[str, Dict[str, Any]] = {}  # id -> event, like the idempotent audit store
        self.order: List[str] = []  # ids in the order first stored
        self.requests: List[List[Dict[str, Any]]] = []  # every request's events, as received
        self.times: List[float] = []  # time.monotonic() of each request
        self.script: List[Callable[[List[Dict[str, Any]]], Optional[Reply]]] = []
        self.lock = threading.Lock()
        intake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output readable
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.path != "/audit/v1/events":
                    return self._send(404, {}, {"error": "not_found", "message": "no such route"})
                if self.headers.get("Authorization") != f"Bearer {intake.api_key}":
                    return self._send(401, {}, {"error": "unauthorized", "message": "bad key"})
                body = json.loads(raw)
                events = body if isinstance(body, list) else [body]
                status, headers, reply = intake.handle(events)
                self._send(status, headers, reply)

            def _send(self, status, headers, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def handle(self, events: List[Dict[str, Any]]) -> Reply:
        with self.lock:
            self.requests.append(events)
            self.times.append(time.monotonic())
            step = self.script.pop(0) if self.script else None
            scripted = step(events) if step else None
            if scripted is not None:
                return scripted
            return self.store(events)

    def store(self, events: List[Dict[str, Any]]) -> Reply:
        for event in events:
            if event["id"] not in self.stored:
                self.stored[event["id"]] = event
                self.order.append(event["id"])
        return 202, {}, {"results": [{"id": e["id"], "status": 202} for e in events]}

    def answer(self, status: int, headers: Optional[Dict[str, str]] = None, body: Any = None) -> None:
        """Queue one whole-request answer for the next request."""
        self.script.append(lambda events: (status, headers or {}, body or {"error": "scripted"}))

    def reset(self) -> None:
        with self.lock:
            self.stored.clear()
            self.order.clear()
            self.requests.clear()
            self.times.clear()
            self.script.clear()

    def events(self) -> List[Dict[str, Any]]:
        """Stored events in the order they were first stored."""
        return [self.stored[i] for i in self.order]

    def sent_ids(self) -> List[str]:
        return [e["id"] for request in self.requests for e in request]


def admin_event(**overrides) -> Dict[str, Any]:
    event = {
        "actor": {"type": "admin", "id": "7", "ip": "10.0.0.1"},
        "action": "admin.userprofile.changed",
        "resource": {"type": "userprofile", "id": "42"},
        "outcome": "success",
    }
    event.update(overrides)
    return event
