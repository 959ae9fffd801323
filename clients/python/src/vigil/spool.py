"""The local spool: an append-only JSON-lines file that survives crashes and is shared by processes.

Layout next to ``path``:
- ``path``        one prepared event per line, appended under ``flock`` and fsync'd before publish returns;
- ``path.offset`` the byte offset of the first line not yet acknowledged by Vigil (replaced atomically);
- ``path.drain``  a lock file: one sender at a time, across threads and processes (gunicorn workers).

A sender reads lines from the offset, sends them, and moves the offset past them only after Vigil
answered for each. A crash between the answer and the offset update resends those lines: Vigil is
idempotent on the event id, so storage stays exactly once. Once everything is acknowledged the file is
emptied: the offset goes back to 0 *before* the truncation, so a crash in between only resends.
A line torn by a crash mid-write is closed by the next append (a newline first) and skipped by the
sender, so it never swallows the event after it.
"""
import contextlib
import fcntl
import json
import logging
import os
import time
from typing import Any, Dict, Iterator, List, Optional, Set, Tuple

log = logging.getLogger("vigil.audit")

# Descriptors that may hold an flock right now. A process forked meanwhile (gunicorn) inherits them, and an
# flock lives until every copy is closed: the child closes its copies, or the lock would outlive the parent's.
_lock_fds: Set[int] = set()


def _open_for_lock(path: str, flags: int) -> int:
    fd = os.open(path, flags | os.O_CLOEXEC, 0o600)
    _lock_fds.add(fd)
    return fd


def _close_lock_fd(fd: int) -> None:
    _lock_fds.discard(fd)
    os.close(fd)


def _close_inherited_lock_fds() -> None:
    for fd in list(_lock_fds):
        try:
            os.close(fd)
        except OSError:
            pass
    _lock_fds.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_inherited_lock_fds)


class SpoolEntry:
    __slots__ = ("end", "event")

    def __init__(self, end: int, event: Optional[Dict[str, Any]]):
        self.end = end  # byte offset just past this line
        self.event = event  # None: a line that is not an event (torn by a crash); skipped


class Spool:
    def __init__(self, path: str):
        self.path = os.path.abspath(path)
        self.offset_path = self.path + ".offset"
        self.drain_path = self.path + ".drain"
        directory = os.path.dirname(self.path)
        os.makedirs(directory, exist_ok=True)

    # --- appending (any thread, any process) ---------------------------------------------------
    def append(self, events: List[Dict[str, Any]]) -> None:
        data = b"".join(
            json.dumps(e, separators=(",", ":"), ensure_ascii=False).encode("utf-8") + b"\n" for e in events
        )
        fd = _open_for_lock(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            size = os.fstat(fd).st_size
            if size > 0 and self._last_byte(size) != b"\n":
                data = b"\n" + data  # close a line torn by a crash so it cannot merge with ours
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            _close_lock_fd(fd)  # releases the flock

    def _last_byte(self, size: int) -> bytes:
        with open(self.path, "rb") as f:
            f.seek(size - 1)
            return f.read(1)

    # --- sending (holder of the drain lock only) -----------------------------------------------
    @contextlib.contextmanager
    def drain_lock(self, timeout: float) -> Iterator[bool]:
        """Yields True when this caller may send; False when another sender kept it for ``timeout``."""
        fd = _open_for_lock(self.drain_path, os.O_RDWR | os.O_CREAT)
        try:
            deadline = time.monotonic() + max(0.0, timeout)
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(0.01)
            yield True
        finally:
            _close_lock_fd(fd)

    def committed_offset(self) -> int:
        try:
            with open(self.offset_path, "r", encoding="utf-8") as f:
                return int(json.load(f)["offset"])
        except FileNotFoundError:
            return 0
        except (ValueError, KeyError, TypeError):
            log.error("vigil audit spool: unreadable offset file; resending the whole spool", extra={"spool": self.path})
            return 0

    def commit(self, offset: int) -> None:
        tmp = f"{self.offset_path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"offset": offset}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.offset_path)
        self._fsync_dir()

    def _fsync_dir(self) -> None:
        fd = os.open(os.path.dirname(self.path), os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def read(self, max_events: int) -> Tuple[int, List[SpoolEntry]]:
        """Up to ``max_events`` complete lines from the committed offset (a line still being written waits)."""
        offset = self.committed_offset()
        try:
            f = open(self.path, "rb")
        except FileNotFoundError:
            return 0, []
        with f:
            size = os.fstat(f.fileno()).st_size
            if offset > size:
                log.error("vigil audit spool: offset past the end of the file; resending the whole spool")
                offset = 0
            f.seek(offset)
            entries: List[SpoolEntry] = []
            position = offset
            while len(entries) < max_events:
                line = f.readline()
                if not line.endswith(b"\n"):
                    break
                position += len(line)
                entries.append(SpoolEntry(position, self._parse(line, position)))
            return offset, entries

    def _parse(self, line: bytes, end: int) -> Optional[Dict[str, Any]]:
        if not line.strip():
            return None
        try:
            event = json.loads(line.decode("utf-8"))
            if isinstance(event, dict) and isinstance(event.get("id"), str):
                return event
        except (UnicodeDecodeError, ValueError):
            pass
        log.error(
            "vigil audit spool: skipping a line that is not an event (torn by a crash?)",
            extra={"spool": self.path, "line_end": end, "line_bytes": len(line)},
        )
        return None

    def rotate_if_drained(self) -> bool:
        """Empties the file when everything in it is acknowledged; True when it did."""
        try:
            fd = _open_for_lock(self.path, os.O_RDWR)
        except FileNotFoundError:
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # no append in flight while we look and truncate
            size = os.fstat(fd).st_size
            offset = self.committed_offset()
            if size == 0:
                return True
            if offset < size:
                os.lseek(fd, offset, os.SEEK_SET)
                if b"\n" in os.read(fd, size - offset):
                    return False  # complete lines still to send
                log.error("vigil audit spool: dropping a torn last line left by a crash", extra={"spool": self.path})
            self.commit(0)  # first: a crash before the truncation resends, never skips
            os.ftruncate(fd, 0)
            os.fsync(fd)
            return True
        finally:
            _close_lock_fd(fd)

    def pending_bytes(self) -> int:
        try:
            size = os.stat(self.path).st_size
        except FileNotFoundError:
            return 0
        return max(0, size - self.committed_offset())
