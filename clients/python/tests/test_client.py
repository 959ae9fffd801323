"""The client against a real HTTP server in a thread, through every answer the intake contract allows."""
import json
import logging
import os
import socket
import time

import pytest

from fake_intake import FakeIntake, admin_event
from vigil import AuditClient


@pytest.fixture
def intake():
    with FakeIntake() as server:
        yield server


@pytest.fixture
def make_client(tmp_path):
    clients = []

    def make(url, **options):
        settings = dict(
            spool_path=str(tmp_path / "spool.jsonl"),
            backoff_base=0.01,
            backoff_max=0.05,
            timeout=2.0,
            max_retries=3,
            exit_flush_timeout=0.5,
        )
        settings.update(options)
        client = AuditClient(url, options.pop("api_key", "test-key"), "shop", **settings)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close(timeout=1.0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def test_sync_publish_is_stored_before_it_returns_and_leaves_an_empty_spool(intake, make_client):
    client = make_client(intake.url)
    event_id = client.publish(admin_event(metadata={"reason": "support ticket"}))
    assert list(intake.stored) == [event_id]
    stored = intake.stored[event_id]
    assert stored["source"] == "shop" and stored["occurred_at"].endswith("+00:00")
    assert client.spool.pending_bytes() == 0
    assert os.path.getsize(client.spool.path) == 0  # emptied after the 202


def test_207_drops_refused_events_without_logging_values_and_retries_5xx_ones(intake, make_client, caplog):
    def mixed(events):
        intake.store([events[0]])
        results = [
            {"id": events[0]["id"], "status": 202},
            {"id": events[1]["id"], "status": 400, "error": "metadata must be an object"},
            {"id": events[2]["id"], "status": 503, "error": "stream unavailable"},
        ]
        return 207, {}, {"results": results}

    intake.script.append(mixed)
    client = make_client(intake.url, batch=True, flush_interval=60.0)
    ids = [client.publish(admin_event(metadata={"note": f"planted-value-{i}"})) for i in range(3)]
    with caplog.at_level(logging.ERROR, logger="vigil.audit"):
        assert client.flush(5.0) is True
    assert [len(r) for r in intake.requests] == [3, 1]
    assert intake.requests[1][0]["id"] == ids[2]
    assert intake.order == [ids[0], ids[2]]
    assert ids[1] in caplog.text and "metadata must be an object" in caplog.text
    assert "planted-value" not in caplog.text


def test_413_splits_the_batch_and_keeps_the_order(intake, make_client):
    intake.answer(413, body={"error": "payload_too_large", "message": "too large"})
    client = make_client(intake.url, batch=True, flush_interval=60.0)
    ids = [client.publish(admin_event()) for _ in range(4)]
    assert client.flush(5.0) is True
    assert [len(r) for r in intake.requests] == [4, 2, 2]
    assert intake.order == ids


def test_a_single_event_refused_as_too_large_is_dropped_not_retried_forever(intake, make_client, caplog):
    intake.answer(413, body={"error": "payload_too_large", "message": "too large"})
    client = make_client(intake.url)
    with caplog.at_level(logging.ERROR, logger="vigil.audit"):
        event_id = client.publish(admin_event())
    assert len(intake.requests) == 1
    assert client.spool.pending_bytes() == 0
    assert event_id in caplog.text


def test_429_waits_for_retry_after(intake, make_client):
    intake.answer(429, {"Retry-After": "1"}, {"error": "rate_limited", "message": "slow down"})
    client = make_client(intake.url)
    event_id = client.publish(admin_event())
    assert intake.order == [event_id]
    assert len(intake.times) == 2
    assert intake.times[1] - intake.times[0] >= 0.95  # the backoff alone would be < 0.05 s


def test_5xx_is_retried_with_backoff_then_stored_once(intake, make_client):
    intake.answer(500)
    intake.answer(503)
    client = make_client(intake.url)
    event_id = client.publish(admin_event())
    assert len(intake.requests) == 3
    assert intake.order == [event_id]
    assert client.spool.pending_bytes() == 0


def test_retries_are_bounded_then_the_event_waits_in_the_spool(intake, make_client):
    for _ in range(10):
        intake.answer(500)
    client = make_client(intake.url, max_retries=2)
    event_id = client.publish(admin_event())
    assert len(intake.requests) == 3  # first try + max_retries
    assert intake.stored == {}
    with open(client.spool.path) as f:
        assert json.loads(f.readline())["id"] == event_id


def test_401_is_not_retried_keeps_the_event_and_logs_loudly(intake, make_client, caplog):
    intake.answer(401, body={"error": "unauthorized", "message": "unknown key"})
    client = make_client(intake.url, max_retries=3)
    with caplog.at_level(logging.ERROR, logger="vigil.audit"):
        event_id = client.publish(admin_event())
    assert len(intake.requests) == 1  # max_retries=3 would have made 4
    assert "REFUSED" in caplog.text and "401" in caplog.text
    assert client.spool.pending_bytes() > 0
    assert client.flush(5.0) is True  # the key works again: an explicit flush sends it
    assert intake.order == [event_id]


def test_unreachable_vigil_spools_then_drains_in_order_exactly_once(make_client):
    port = free_port()
    client = make_client(f"http://127.0.0.1:{port}", max_retries=1)
    early = [client.publish(admin_event(resource={"type": "userprofile", "id": str(i)})) for i in range(5)]
    assert client.spool.pending_bytes() > 0
    with FakeIntake(port=port) as intake:
        late = client.publish(admin_event())
        assert wait_for(lambda: len(intake.order) == 6)  # the background sender's retry
        assert intake.order == early + [late]  # the older events first
        assert sorted(intake.sent_ids()) == sorted(early + [late])  # each sent once
        assert wait_for(lambda: client.spool.pending_bytes() == 0)


def test_while_vigil_fails_sync_publishes_only_spool_and_the_background_sender_retries(intake, make_client):
    for _ in range(4):
        intake.answer(500)
    client = make_client(intake.url, max_retries=3)
    first = client.publish(admin_event())
    assert len(intake.requests) == 4  # first try + 3 retries, all 500
    second = client.publish(admin_event())
    assert len(intake.requests) == 4  # not held up: spooled behind the first
    assert wait_for(lambda: intake.order == [first, second])  # retried about a second later
    assert wait_for(lambda: client.spool.pending_bytes() == 0)


def test_a_new_process_sends_what_an_earlier_one_spooled(make_client, tmp_path):
    port = free_port()
    first = make_client(f"http://127.0.0.1:{port}", max_retries=0)
    ids = [first.publish(admin_event()) for _ in range(3)]
    assert first.close(timeout=0.5) is False
    with FakeIntake(port=port) as intake:
        second = make_client(f"http://127.0.0.1:{port}", flush_interval=0.05)
        assert wait_for(lambda: len(intake.order) == 3)  # its background sender, no publish needed
        assert intake.order == ids
        assert wait_for(lambda: second.spool.pending_bytes() == 0)


def test_batch_mode_sends_in_the_background_in_batches(intake, make_client):
    client = make_client(intake.url, batch=True, batch_size=50, flush_interval=0.1)
    ids = [client.publish(admin_event()) for _ in range(120)]
    assert wait_for(lambda: len(intake.order) == 120)
    assert intake.order == ids
    assert max(len(r) for r in intake.requests) <= 50


def test_close_flushes_batched_events(intake, make_client):
    client = make_client(intake.url, batch=True, flush_interval=60.0)
    ids = [client.publish(admin_event()) for _ in range(3)]
    assert intake.order == []  # nothing sent yet: the interval is a minute
    assert client.close(timeout=5.0) is True
    assert intake.order == ids


def test_bad_configuration_is_refused_at_construction(tmp_path):
    spool = str(tmp_path / "s.jsonl")
    with pytest.raises(ValueError, match="url must be"):
        AuditClient("vigil.internal", "k", "shop", spool_path=spool)
    with pytest.raises(ValueError, match="source must be"):
        AuditClient("http://x", "k", "Shop App", spool_path=spool)
    with pytest.raises(ValueError, match="batch_size must be between 1 and 500"):
        AuditClient("http://x", "k", "shop", spool_path=spool, batch_size=501)


def test_an_answer_that_is_not_the_intakes_keeps_the_events(intake, make_client, caplog):
    intake.answer(200, body={"html": "a login page"})
    intake.answer(302, {"Location": "/login"})
    client = make_client(intake.url)
    with caplog.at_level(logging.ERROR, logger="vigil.audit"):
        event_id = client.publish(admin_event())
        assert client.spool.pending_bytes() > 0
        assert "HTTP 200" in caplog.text
        assert client.flush(5.0) is False  # the 302 is not followed either
        assert "HTTP 302" in caplog.text
    assert len(intake.requests) == 2
    assert client.flush(5.0) is True
    assert intake.order == [event_id]


def test_a_forked_worker_starts_its_own_sender(intake, make_client):
    client = make_client(intake.url, batch=True, flush_interval=0.05)
    client.publish(admin_event())
    assert wait_for(lambda: len(intake.order) == 1)
    # The parent's sender may hold the spool's locks at the fork; the child must not keep them held.
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: publish through the inherited client; its new thread must send it
        os.close(read)
        event_id = client.publish(admin_event())
        ok = wait_for(lambda: event_id in intake.stored or client.spool.pending_bytes() == 0, 5.0)
        os.write(write, event_id.encode() if ok else b"-")
        os._exit(0)
    os.close(write)
    child_id = os.read(read, 64).decode()
    os.close(read)
    os.waitpid(pid, 0)
    assert child_id in intake.stored


def test_a_full_batch_is_sent_without_waiting_for_the_interval(intake, make_client):
    client = make_client(intake.url, batch=True, batch_size=3, flush_interval=60.0)
    first = [client.publish(admin_event()) for _ in range(2)]
    time.sleep(0.3)
    assert intake.order == []  # two of three: waits for the (minute-long) interval
    third = client.publish(admin_event())
    assert wait_for(lambda: intake.order == first + [third], 3.0)


def test_retry_after_is_read_as_seconds_or_an_http_date():
    from email.utils import formatdate

    from vigil.transport import Reply

    assert Reply(429, {"Retry-After": "7"}).retry_after() == 7.0
    now = time.time()
    assert 19.0 <= Reply(429, {"Retry-After": formatdate(now + 20, usegmt=True)}).retry_after(now) <= 20.0
    assert Reply(429, {"Retry-After": "soon"}).retry_after() is None
    assert Reply(429, {}).retry_after() is None
