"""End to end: the Django admin of tests/django_project publishing to a REAL audit service.

Not collected by the unit run (`pytest clients/python/tests` skips this directory); run it by naming it:

    VIGIL_AUDIT_URL=http://127.0.0.1:3002 \
    VIGIL_AUDIT_STOP_CMD='kill -STOP <audit pid>'  VIGIL_AUDIT_START_CMD='kill -CONT <audit pid>' \
    /usr/bin/python3 -m pytest -q clients/python/tests/integration

- VIGIL_AUDIT_URL      base URL of the audit service (required).
- VIGIL_AUDIT_API_KEY  a key with audit:publish (for source `profile`) and audit:read; default vigil-dev-key.
- VIGIL_AUDIT_STOP_CMD / VIGIL_AUDIT_START_CMD  shell commands that take the audit service down and bring it
  back (both or neither). Without them "down" is an address where nothing listens, and the drain is done by a
  new client on the same spool (a restarted worker), against the real service.
"""
import json
import os
import random
import socket
import subprocess
import tempfile
import time
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


def stored_events(resource_id: str):
    request = urllib.request.Request(
        f"{URL.rstrip('/')}/audit/events?resource_type=userprofile&resource_id={resource_id}&limit=100",
        headers={"Authorization": f"Bearer {API_KEY}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = json.load(response)
    return [row.get("event", row) for row in body["events"]]


def wait_for_events(resource_id: str, count: int, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    events = []
    while time.monotonic() < deadline:
        events = stored_events(resource_id)
        if len(events) >= count:
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
        finally:
            if START_CMD:
                _shell(START_CMD)
        if not STOP_CMD:
            client.close(timeout=1.0)
            self.configure(URL)  # a restarted worker: a new client on the same spool
            client = get_audit_client()
        self.assertTrue(client.flush(timeout=60.0), "the spool did not drain into the audit service")

        resource_id = str(self.profile.pk)
        stored = wait_for_events(resource_id, 2)
        self.assertEqual(sorted(e["id"] for e in stored), sorted(e["id"] for e in spooled))
        economy = next(e for e in stored if e["action"] == "admin.economy_field.changed")
        self.assertEqual(economy["changes"]["deltacoin_balance"], {"before": "100.00", "after": "5000.00"})
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
        after = wait_for_events(resource_id, 3)
        self.assertIn(marker, [e["id"] for e in after])
        self.assertEqual(len(after), 3)
