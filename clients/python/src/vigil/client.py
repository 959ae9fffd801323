"""AuditClient: publishes AuditEvent v1 to Vigil's HTTP intake, through a crash-safe local spool.

Every published event is first appended to the spool (fsync'd), then sent: at once in sync mode, by a
background thread in batches in batch mode. Events leave the spool only after Vigil answered for them,
in the order they were published, so an event outlives a Vigil restart, a network cut and a crash of
this process; resending after a crash is harmless because Vigil stores each event id once.
"""
import atexit
import logging
import os
import random
import re
import tempfile
import threading
import time
import weakref
from typing import Any, Dict, Iterable, List, Optional

from .event import SOURCE_PATTERN, prepare
from .redaction import KeyRedactor
from .spool import Spool
from .transport import post_events

log = logging.getLogger("vigil.audit")

MAX_BATCH = 500  # the intake's limit per request
_URL = re.compile(r"^https?://[^/\s]+", re.IGNORECASE)


class _Rejected(Exception):
    """The whole request was refused for a reason resending cannot fix (key, scope, URL)."""

    def __init__(self, status: int, message: str):
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


class AuditClient:
    def __init__(
        self,
        url: str,
        api_key: str,
        source: str,
        *,
        spool_path: Optional[str] = None,
        batch: bool = False,
        batch_size: int = 100,
        flush_interval: float = 1.0,
        timeout: float = 5.0,
        max_retries: int = 3,
        sensitive_keys: Iterable[str] = (),
        backoff_base: float = 0.2,
        backoff_max: float = 10.0,
        retry_after_max: float = 60.0,
        rejected_pause: float = 60.0,
        exit_flush_timeout: float = 5.0,
    ):
        if not isinstance(url, str) or not _URL.match(url):
            raise ValueError("url must be the Vigil base URL, e.g. http://vigil.internal:3002")
        if not isinstance(api_key, str) or not api_key:
            raise ValueError("api_key must be a non-empty string")
        if not isinstance(source, str) or not SOURCE_PATTERN.match(source):
            raise ValueError("source must be 1-64 characters of [a-z0-9_-]")
        if not 1 <= int(batch_size) <= MAX_BATCH:
            raise ValueError(f"batch_size must be between 1 and {MAX_BATCH}")
        if max_retries < 0 or timeout <= 0 or flush_interval <= 0:
            raise ValueError("max_retries must be >= 0, timeout and flush_interval > 0")
        self.url = url.rstrip("/")
        self._api_key = api_key
        self.source = source
        self.batch = bool(batch)
        self.batch_size = int(batch_size)
        self.flush_interval = float(flush_interval)
        self.timeout = float(timeout)
        self.max_retries = int(max_retries)
        self.backoff_base = float(backoff_base)
        self.backoff_max = float(backoff_max)
        self.retry_after_max = float(retry_after_max)
        self.rejected_pause = float(rejected_pause)
        self.redactor = KeyRedactor(sensitive_keys)
        if spool_path is None:
            uid = os.getuid() if hasattr(os, "getuid") else 0
            spool_path = os.path.join(tempfile.gettempdir(), f"vigil-audit-{source}-{uid}.jsonl")
        self.spool = Spool(spool_path)
        self._closed = False
        self._paused_until = 0.0
        self._retry_delay = 0.0
        self._failing_until = 0.0
        self._unsent = 0  # published in batch mode since the last send started (only a wake-up hint)
        self._wake = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._thread_pid = 0
        self._thread_lock = threading.Lock()
        self._exit_flush_timeout = exit_flush_timeout
        _close_at_exit(self)
        if self.spool.pending_bytes() > 0:
            self._ensure_thread()  # events left by an earlier run go first

    # --- public API -----------------------------------------------------------------------------
    def publish(self, event: Dict[str, Any]) -> str:
        """Validates, redacts and spools ``event``; returns its id. Sync mode sends it before returning."""
        if self._closed:
            raise RuntimeError("AuditClient is closed")
        prepared = prepare(event, self.source, self.redactor)
        self.spool.append([prepared])
        if self.batch:
            self._ensure_thread()
            self._unsent += 1
            if self._unsent >= self.batch_size:
                self._wake.set()  # a full batch goes now, not at the next flush_interval
            return prepared["id"]
        now = time.monotonic()
        # While Vigil is failing, a request is not held up by every publish: the event waits in the
        # spool and the background sender retries, with a growing delay.
        if now >= self._paused_until and now >= self._failing_until:
            self._drain(deadline=None, lock_wait=self.timeout, until_id=prepared["id"])
        if self.spool.pending_bytes() > 0:
            self._ensure_thread()  # retries later from the spool
        return prepared["id"]

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Sends everything spooled; True when the spool is empty (all acknowledged) before ``timeout``."""
        deadline = None if timeout is None else time.monotonic() + timeout
        lock_wait = self.timeout * (self.max_retries + 2) if timeout is None else timeout
        self._drain(deadline=deadline, lock_wait=lock_wait)
        return self.spool.pending_bytes() == 0

    def close(self, timeout: Optional[float] = 10.0) -> bool:
        """Stops the background thread and flushes; True when nothing is left in the spool."""
        if self._closed:
            return self.spool.pending_bytes() == 0
        self._closed = True
        self._wake.set()
        deadline = None if timeout is None else time.monotonic() + timeout
        thread = self._thread
        if thread is not None and self._thread_pid == os.getpid():
            thread.join(timeout)
        return self.flush(None if deadline is None else max(0.0, deadline - time.monotonic()))

    def __enter__(self) -> "AuditClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # --- sending ------------------------------------------------------------------------------
    def _drain(self, deadline: Optional[float], lock_wait: float, until_id: Optional[str] = None) -> bool:
        """Sends spooled batches in order; True when the spool was emptied (or ``until_id`` acknowledged)."""
        with self.spool.drain_lock(lock_wait) as mine:
            if not mine:
                return False
            while True:
                start, entries = self.spool.read(self.batch_size)
                if not entries:
                    self.spool.rotate_if_drained()
                    self._retry_delay, self._failing_until = 0.0, 0.0
                    return True
                events = [e.event for e in entries if e.event is not None]
                try:
                    settled = self._deliver(events, deadline) if events else []
                except _Rejected as err:
                    self._paused_until = time.monotonic() + self.rejected_pause
                    log.error(
                        "vigil audit: Vigil REFUSED the events (%s); they stay in the spool %s and are retried "
                        "in %.0f s: check VIGIL_AUDIT URL, API_KEY and the key's audit:publish sources",
                        err, self.spool.path, self.rejected_pause,
                        extra={"status": err.status, "spool": self.spool.path, "pending_events": len(events)},
                    )
                    self._note_failure()
                    return False
                done_ids = {e["id"] for e, ok in zip(events, settled) if ok}
                commit_to = start
                for entry in entries:
                    if entry.event is not None and entry.event["id"] not in done_ids:
                        break
                    commit_to = entry.end
                if commit_to > start:
                    self.spool.commit(commit_to)
                if commit_to < entries[-1].end:
                    self._note_failure()
                    return False  # Vigil is unreachable or failing: the rest stays, in order
                self._retry_delay, self._failing_until = 0.0, 0.0
                if until_id is not None and until_id in done_ids:
                    self.spool.rotate_if_drained()
                    return True
                if deadline is not None and time.monotonic() >= deadline:
                    return False

    def _note_failure(self) -> None:
        """The next background attempt waits longer after each failed one: 1 s, 2 s, ... up to 60 s."""
        self._retry_delay = min(60.0, max(1.0, self._retry_delay * 2))
        self._failing_until = time.monotonic() + self._retry_delay

    def _deliver(self, events: List[Dict[str, Any]], deadline: Optional[float]) -> List[bool]:
        """One flag per event: True once Vigil stored it or refused it for good (4xx, logged)."""
        settled = [False] * len(events)
        pending = list(range(len(events)))
        attempt = 0
        while pending:
            reply = post_events(self.url, self._api_key, [events[i] for i in pending], self.timeout)
            status = reply.status
            delay = self._backoff(attempt)
            if status == 202:
                for i in pending:
                    settled[i] = True
                return settled
            if status == 207:
                pending = self._settle_results(events, pending, settled, reply.body)
            elif status in (401, 403, 404, 405, 415) or 200 <= status < 400:
                # Not an answer of the audit intake (a key, scope or URL problem): resending cannot help.
                raise _Rejected(status, reply.message() or "not an answer of the audit intake")
            elif status in (400, 413, 422):
                return self._split(events, pending, settled, deadline, status, reply.message())
            elif status == 429:
                asked = reply.retry_after()
                delay = min(self.retry_after_max, asked) if asked is not None else delay
                log.warning("vigil audit: rate limited (429); waiting %.1f s", delay, extra={"retry_after": delay})
            else:
                log.warning(
                    "vigil audit: send failed (%s); attempt %d of %d",
                    f"HTTP {status}" if status else reply.error, attempt + 1, self.max_retries + 1,
                    extra={"status": status, "events": len(pending)},
                )
            if not pending:
                break
            attempt += 1
            if attempt > self.max_retries or not self._sleep(delay, deadline):
                break
        return settled

    def _settle_results(self, events, pending: List[int], settled: List[bool], body: Any) -> List[int]:
        results = body.get("results") if isinstance(body, dict) else None
        by_id = {r.get("id"): r for r in results if isinstance(r, dict)} if isinstance(results, list) else {}
        retry = []
        for i in pending:
            result = by_id.get(events[i]["id"]) or {}
            status = result.get("status")
            if isinstance(status, int) and 200 <= status < 300:
                settled[i] = True
            elif isinstance(status, int) and 400 <= status < 500:
                settled[i] = True
                self._log_dropped(events[i], status, str(result.get("error") or ""))
            else:
                retry.append(i)
        return retry

    def _split(self, events, pending: List[int], settled: List[bool], deadline, status: int, message: str):
        """413 (too large) or a whole-request 400: halve the batch until the refused event stands alone."""
        if len(pending) == 1:
            settled[pending[0]] = True
            self._log_dropped(events[pending[0]], status, message)
            return settled
        middle = len(pending) // 2
        for part in (pending[:middle], pending[middle:]):
            flags = self._deliver([events[i] for i in part], deadline)
            for i, ok in zip(part, flags):
                settled[i] = ok
            if not all(flags):
                break  # keep the order: the second half waits for the first
        return settled

    def _log_dropped(self, event: Dict[str, Any], status: int, error: str) -> None:
        # The event's values are not logged: they may be personal data.
        log.error(
            "vigil audit: Vigil refused event %s (%s, HTTP %d): %s; dropped",
            event.get("id"), event.get("action"), status, error or "no reason given",
            extra={"event_id": event.get("id"), "action": event.get("action"), "status": status, "error": error},
        )

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.backoff_max, self.backoff_base * (2 ** attempt))
        return random.uniform(ceiling / 2, ceiling)  # jitter: workers that failed together retry apart

    def _sleep(self, delay: float, deadline: Optional[float]) -> bool:
        """Waits ``delay``; False when that would pass ``deadline`` or the client is closing (background)."""
        if deadline is not None and time.monotonic() + delay > deadline:
            return False
        if threading.current_thread() is self._thread:
            self._wake.wait(delay)  # close() cuts the wait short
            if self._closed:
                return False
            self._wake.clear()  # a "batch full" wake-up must not turn the next backoffs into a busy loop
            return True
        time.sleep(delay)
        return True

    # --- background sender ----------------------------------------------------------------------
    def _ensure_thread(self) -> None:
        with self._thread_lock:
            # After a fork (gunicorn workers) the parent's thread does not exist in the child.
            if self._thread is not None and self._thread_pid == os.getpid() and self._thread.is_alive():
                return
            if self._closed:
                return
            self._thread_pid = os.getpid()
            self._wake = threading.Event()
            self._thread = threading.Thread(target=self._run, name=f"vigil-audit-{self.source}", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._closed:
            wait = self.flush_interval if self._retry_delay == 0 else self._retry_delay
            wait = max(wait, self._paused_until - time.monotonic())
            self._wake.wait(wait)
            self._wake.clear()
            if self._closed:
                return
            if time.monotonic() < self._paused_until or self.spool.pending_bytes() == 0:
                continue
            self._unsent = 0
            try:
                self._drain(deadline=time.monotonic() + 30.0, lock_wait=0.0)
            except Exception:  # noqa: BLE001 - the sender must survive anything and retry
                log.exception("vigil audit: background send failed; retrying")
                self._note_failure()


_clients: "weakref.WeakSet[AuditClient]" = weakref.WeakSet()


def _after_fork_in_child() -> None:
    # A forked worker (gunicorn) has no sender thread, and a lock the parent held at fork stays held.
    for client in list(_clients):
        client._thread_lock = threading.Lock()
        client._thread = None


def _close_at_exit(client: AuditClient) -> None:
    _clients.add(client)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


@atexit.register
def _flush_all_at_exit() -> None:
    for client in list(_clients):
        try:
            client.close(timeout=client._exit_flush_timeout)
        except Exception:  # noqa: BLE001 - never fail interpreter exit
            log.exception("vigil audit: flush at exit failed; events stay in the spool")
