"""The spool under crashes and several processes (gunicorn workers share one spool file)."""
import json
import logging
import os
import subprocess
import sys
import textwrap

from fake_intake import FakeIntake, admin_event
from vigil import AuditClient, KeyRedactor, prepare
from vigil.spool import Spool

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
TESTS = os.path.dirname(os.path.abspath(__file__))


def run_workers(script: str, count: int, *args: str):
    """Starts ``count`` Python processes at once running ``script``; waits for all; asserts they succeeded."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, TESTS])}
    procs = [
        subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), str(n), *args], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(count)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err


def test_two_processes_appending_keep_every_line_whole_and_in_order(tmp_path):
    path = str(tmp_path / "spool.jsonl")
    run_workers(
        """
        import sys
        from vigil.spool import Spool
        worker, path = sys.argv[1], sys.argv[2]
        spool = Spool(path)
        pad = "x" * 3000  # lines larger than a pipe buffer, so unlocked writes could interleave
        for i in range(300):
            spool.append([{"id": f"{worker}-{i}", "pad": pad}])
        """,
        2,
        path,
    )
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    assert lines[-1] == b""
    events = [json.loads(line) for line in lines[:-1]]
    assert len(events) == 600
    for worker in ("0", "1"):
        assert [e["id"] for e in events if e["id"].startswith(f"{worker}-")] == [f"{worker}-{i}" for i in range(300)]


def test_two_processes_publishing_through_one_spool_store_and_send_each_event_once(tmp_path):
    path = str(tmp_path / "spool.jsonl")
    with FakeIntake() as intake:
        run_workers(
            """
            import sys
            from vigil import AuditClient
            from fake_intake import admin_event
            worker, path, url = sys.argv[1], sys.argv[2], sys.argv[3]
            client = AuditClient(url, "test-key", "shop", spool_path=path, backoff_base=0.01)
            for i in range(40):
                client.publish(admin_event(resource={"type": "userprofile", "id": f"{worker}-{i}"}))
            assert client.close(timeout=10)
            """,
            2,
            path,
            intake.url,
        )
        sent = intake.sent_ids()
        assert len(intake.stored) == 80
        assert len(sent) == len(set(sent)) == 80  # no event sent twice, though both workers were sending
        for worker in ("0", "1"):
            resources = [intake.stored[i]["resource"]["id"] for i in intake.order]
            mine = [r for r in resources if r.startswith(f"{worker}-")]
            assert mine == [f"{worker}-{i}" for i in range(40)]


def _prepared(n: int):
    return [prepare(admin_event(resource={"type": "userprofile", "id": str(i)}), "shop", KeyRedactor()) for i in range(n)]


def test_a_line_torn_by_a_crash_does_not_swallow_the_next_event(tmp_path, caplog):
    path = str(tmp_path / "spool.jsonl")
    earlier = _prepared(2)
    with open(path, "wb") as f:
        for event in earlier:
            f.write(json.dumps(event).encode() + b"\n")
        f.write(b'{"id": "7d1c2f3a-half-written')  # the process died mid-write
    with FakeIntake() as intake:
        client = AuditClient(intake.url, "test-key", "shop", spool_path=path, flush_interval=60.0)
        with caplog.at_level(logging.ERROR, logger="vigil.audit"):
            late = client.publish(admin_event())
        client.close(timeout=5)
        assert intake.order == [earlier[0]["id"], earlier[1]["id"], late]
        assert "not an event" in caplog.text
    assert Spool(path).pending_bytes() == 0


def test_a_torn_last_line_alone_is_dropped_when_everything_else_was_sent(tmp_path):
    path = str(tmp_path / "spool.jsonl")
    earlier = _prepared(1)
    with open(path, "wb") as f:
        f.write(json.dumps(earlier[0]).encode() + b"\n" + b'{"id": "torn')
    with FakeIntake() as intake:
        client = AuditClient(intake.url, "test-key", "shop", spool_path=path, flush_interval=60.0)
        assert client.flush(5.0) is True
        client.close(timeout=1)
        assert intake.order == [earlier[0]["id"]]
    assert os.path.getsize(path) == 0


def test_a_crash_after_the_answer_but_before_the_offset_moved_resends_and_vigil_keeps_one_copy(tmp_path):
    path = str(tmp_path / "spool.jsonl")
    spool = Spool(path)
    events = _prepared(3)
    spool.append(events)
    with FakeIntake() as intake:
        intake.store(events[:2])  # Vigil stored two of them; then the sender died before spool.commit
        client = AuditClient(intake.url, "test-key", "shop", spool_path=path, flush_interval=60.0)
        assert client.flush(5.0) is True
        client.close(timeout=1)
        assert intake.sent_ids() == [e["id"] for e in events]  # all resent, in order
        assert intake.order == [e["id"] for e in events]  # each stored once


def test_acknowledged_lines_are_not_resent_after_a_restart(tmp_path):
    path = str(tmp_path / "spool.jsonl")
    spool = Spool(path)
    events = _prepared(3)
    spool.append(events)
    spool.commit(spool.read(1)[1][0].end)  # the first line was acknowledged before the restart
    with FakeIntake() as intake:
        client = AuditClient(intake.url, "test-key", "shop", spool_path=path, flush_interval=60.0)
        assert client.flush(5.0) is True
        client.close(timeout=1)
        assert intake.sent_ids() == [events[1]["id"], events[2]["id"]]
