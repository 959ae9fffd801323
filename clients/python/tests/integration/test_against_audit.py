"""End to end: the Django admin of tests/django_project publishing to a REAL audit service.

Not collected by the unit run (`pytest clients/python/tests` skips this directory); run it by naming it:

    VIGIL_AUDIT_URL=http://127.0.0.1:3002 \
    VIGIL_AUDIT_STOP_CMD='kill -STOP <audit pid>'  VIGIL_AUDIT_START_CMD='kill -CONT <audit pid>' \
    /usr/bin/python3 -m pytest -q clients/python/tests/integration

- VIGIL_AUDIT_URL      base URL of the audit service (required).
- VIGIL_AUDIT_API_KEY  a key with audit:publish (for source `profile`) and audit:read; default vigil-dev-key.
- VIGIL_AUDIT_STOP_CMD / VIGIL_AUDIT_START_CMD  shell commands that take the audit service down and bring it
  back (both or neither); each must return only once the service is down / ready again. Without them "down"
  is an address where nothing listens.

In the suite, e2e/test/python-client.e2e.spec.ts runs this file against the built audit service on a real
nats-server and Postgres, and its commands stop the audit process and start a new one on the same port and
database. Either way the worker that made the edit is restarted during the outage (a new client on the same
spool), so the events outlive the process that spooled them, and the new client drains them once audit is back.
"""
import json
import os
import random
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from django_env import django_test_databases  # noqa: F401 - module fixture
from django.contrib.auth.models import User
from django.test import TestCase, override_settings

from django_project.profiles.models import UserProfile
from vigil.django import get_audit_client, reset_audit_client

URL = os.environ.get("VIGIL_AUDIT_URL", "")
API_KEY = os.environ.get("VIGIL_AUDIT_API_KEY", "vigil-dev-key")
STOP_CMD = os.environ.get("VIGIL_AUDIT_STOP_CMD")
START_CMD = os.environ.get("VIGIL_AUDIT_START_CMD")


def _dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def _shell(command: str) -> None:
    subprocess.run(command, shell=True, check=True, timeout=120)


def unreachable(url: str) -> bool:
    """True when the service does not answer at all (a refused connection, or a timeout when paused)."""
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/health/liveness", timeout=2):
            return False
    except urllib.error.HTTPError:
        return False  # it answered
    except OSError:
        return True


def pending_ids(client):
    """Ids of the events still waiting in the client's spool (not yet acknowledged by Vigil)."""
    _, entries = client.spool.read(100)
    return [e.event["id"] for e in entries if e.event is not None]


def stored_events(resource_id: str):
    request = urllib.request.Request(
        f"{URL.rstrip('/')}/audit/events?resource_type=userprofile&resource_id={resource_id}&limit=100",
        headers={"Authorization": f"Bearer {API_KEY}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = json.load(response)
    # GET /audit/events answers {events: [{event, received_at, category, seq}], count, next_cursor}.
    return [row["event"] for row in body["events"]]


def wait_for_events(resource_id: str, until, seconds: float = 30.0):
    """The stored events of ``resource_id`` once ``until(events)`` holds (or the last ones seen)."""
    deadline = time.monotonic() + seconds
    events = []
    while time.monotonic() < deadline:
        events = stored_events(resource_id)
        if until(events):
            return events
        time.sleep(0.25)
    return events


class SpoolAgainstTheAuditServiceTests(TestCase):
    def setUp(self):
        assert URL, "set VIGIL_AUDIT_URL to the audit service's base URL (see this file's docstring)"
        assert bool(STOP_CMD) == bool(START_CMD), "set both VIGIL_AUDIT_STOP_CMD and VIGIL_AUDIT_START_CMD, or neither"
        self.spool = os.path.join(tempfile.mkdtemp(), "spool.jsonl")
        self.admin = User.objects.create_superuser("ops", "ops@example.test", "pw")
        self.client.force_login(self.admin)
        # A fresh resource id per run, so earlier runs against the same audit database do not count.
        self.profile = UserProfile.objects.create(
            pk=random.randint(10**8, 10**9), display_name="johndoe", real_name="Rahim Uddin", deltacoin_balance="100.00"
        )

    def configure(self, url: str):
        settings = override_settings(
            VIGIL_AUDIT={"URL": url, "API_KEY": API_KEY, "SOURCE": "profile", "SPOOL_PATH": self.spool, "TIMEOUT": 2.0}
        )
        settings.enable()
        self.addCleanup(settings.disable)
        reset_audit_client()
        self.addCleanup(reset_audit_client)

    def test_an_admin_edit_made_while_audit_is_down_is_stored_exactly_once_when_it_returns(self):
        self.configure(URL if STOP_CMD else _dead_url())
        if STOP_CMD:
            _shell(STOP_CMD)
        try:
            down_url = URL if STOP_CMD else get_audit_client().url
            self.assertTrue(unreachable(down_url), "the audit service still answers after VIGIL_AUDIT_STOP_CMD")
            response = self.client.post(
                f"/admin/profiles/userprofile/{self.profile.pk}/change/",
                {
                    "display_name": "johndoe",
                    "real_name": "Rahim Uddin",
                    "profile_visibility": "PUBLIC",
                    "deltacoin_balance": "5000.00",
                    "lifetime_earnings": "0.00",
                    "_save": "Save",
                },
            )
            self.assertEqual(response.status_code, 302)  # the admin works while audit is down
            client = get_audit_client()
            with open(self.spool) as f:
                spooled = [json.loads(line) for line in f if line.strip()]
            self.assertEqual(
                [e["action"] for e in spooled], ["admin.userprofile.changed", "admin.economy_field.changed"]
            )
            self.assertEqual(pending_ids(client), [e["id"] for e in spooled])

            # The worker restarts during the outage: its client gives up, a new one finds the spool.
            self.assertFalse(client.close(timeout=1.0), "close() reported the spool drained while audit was down")
            self.configure(URL)
            client = get_audit_client()
            if STOP_CMD:
                # The new client's sender tries (within a second of its creation) and fails: nothing is lost.
                time.sleep(2.5)
                self.assertTrue(unreachable(URL))
                self.assertEqual(pending_ids(client), [e["id"] for e in spooled])
        finally:
            if START_CMD:
                _shell(START_CMD)
        self.assertTrue(client.flush(timeout=60.0), "the spool did not drain into the audit service")
        self.assertEqual(pending_ids(client), [])

        resource_id = str(self.profile.pk)
        stored = wait_for_events(resource_id, lambda events: len(events) >= 2)
        self.assertEqual(sorted(e["id"] for e in stored), sorted(e["id"] for e in spooled))
        economy = next(e for e in stored if e["action"] == "admin.economy_field.changed")
        self.assertEqual(economy["changes"]["deltacoin_balance"], {"before": "100.00", "after": "5000.00"})
        changed = next(e for e in stored if e["action"] == "admin.userprofile.changed")
        self.assertEqual(changed["resource"], {"type": "userprofile", "id": resource_id})
        self.assertEqual(changed["actor"]["id"], str(self.admin.pk))
        self.assertNotIn("Rahim", json.dumps(stored))

        # Resending the same ids (a crash after the 202, before the spool moved on) stores nothing twice.
        for event in spooled:
            client.publish(event)
        self.assertTrue(client.flush(timeout=30.0))
        marker = client.publish(
            {
                "actor": {"type": "system", "id": "e2e"},
                "action": "e2e.marker.published",
                "resource": {"type": "userprofile", "id": resource_id},
                "outcome": "success",
            }
        )
        # The marker arriving proves the resent events had time to be stored, had they been stored twice.
        after = wait_for_events(resource_id, lambda events: marker in [e["id"] for e in events])
        self.assertIn(marker, [e["id"] for e in after])
        self.assertEqual(len(after), 3)
        self.assertEqual(len({e["id"] for e in after}), 3)
