"""AuditedModelAdmin through the real Django admin: change view, save, add and bulk actions."""
import json
import shutil
import tempfile

from django_env import django_test_databases  # noqa: F401 - module fixture
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.test import TestCase, override_settings

from django_project.profiles.models import UserProfile
from fake_intake import FakeIntake
from vigil.django import get_audit_client, reset_audit_client

REDACTED = {"before": "[REDACTED]", "after": "[REDACTED]"}
INCOMING = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


class AdminAuditTests(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.intake = FakeIntake().__enter__()
        cls.spool_dir = tempfile.mkdtemp()
        cls.override = override_settings(
            VIGIL_AUDIT={
                "URL": cls.intake.url,
                "API_KEY": "test-key",
                "SOURCE": "profile",
                "SPOOL_PATH": f"{cls.spool_dir}/spool.jsonl",
            }
        )
        cls.override.enable()
        reset_audit_client()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        reset_audit_client()
        cls.override.disable()
        cls.intake.__exit__(None, None, None)
        shutil.rmtree(cls.spool_dir)

    def setUp(self):
        self.intake.reset()
        self.admin = User.objects.create_superuser("ops", "ops@example.test", "pw")
        self.client.force_login(self.admin)
        self.profile = UserProfile.objects.create(
            display_name="johndoe",
            real_name="Rahim Uddin",
            api_token="tok-secret-1",
            profile_visibility="PRIVATE",
            show_social_links=False,
            deltacoin_balance="100.00",
            lifetime_earnings="250.00",
        )
        self.change_url = f"/admin/profiles/userprofile/{self.profile.pk}/change/"

    def form(self, **overrides):
        data = {
            "display_name": "johndoe",
            "real_name": "Rahim Uddin",
            "api_token": "tok-secret-1",
            "profile_visibility": "PRIVATE",
            "deltacoin_balance": "100.00",
            "lifetime_earnings": "250.00",
            "_save": "Save",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    def actions(self):
        return [e["action"] for e in self.intake.events()]

    def test_a_change_view_publishes_viewed_with_actor_resource_and_request_ids(self):
        response = self.client.get(self.change_url, HTTP_X_REQUEST_ID="req-view-1", HTTP_TRACEPARENT=INCOMING)
        self.assertEqual(response.status_code, 200)
        [event] = self.intake.events()
        self.assertEqual(event["action"], "admin.userprofile.viewed")
        self.assertEqual(event["source"], "profile")
        self.assertEqual(event["actor"], {"type": "admin", "id": str(self.admin.pk), "ip": "127.0.0.1"})
        self.assertEqual(event["resource"], {"type": "userprofile", "id": str(self.profile.pk)})
        self.assertEqual(event["outcome"], "success")
        self.assertEqual(event["request_id"], "req-view-1")
        self.assertEqual(event["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736")
        self.assertIn("real_name", event["metadata"]["fields"])
        self.assertNotIn("Rahim", json.dumps(self.intake.requests))

    def test_a_change_view_of_a_missing_object_publishes_nothing(self):
        self.client.get(self.change_url)  # proves the same admin does publish a view
        self.assertEqual(self.actions(), ["admin.userprofile.viewed"])
        self.intake.reset()
        response = self.client.get("/admin/profiles/userprofile/99999/change/")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.intake.events(), [])

    def test_an_economy_edit_publishes_changed_and_economy_field_changed_with_secrets_redacted(self):
        response = self.client.post(
            self.change_url,
            self.form(deltacoin_balance="5000.00", real_name="Karim Uddin", api_token="tok-secret-2"),
            HTTP_X_REQUEST_ID="req-save-1",
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.actions(), ["admin.userprofile.changed", "admin.economy_field.changed"])
        changed, economy = self.intake.events()
        self.assertEqual(
            changed["changes"],
            {
                "deltacoin_balance": {"before": "100.00", "after": "5000.00"},
                "real_name": REDACTED,
                "api_token": REDACTED,
            },
        )
        state = changed["metadata"]["state"]
        self.assertEqual(state["profile_visibility"], "PRIVATE")
        self.assertIs(state["show_social_links"], False)
        self.assertEqual(state["deltacoin_balance"], "5000.00")
        self.assertNotIn("real_name", state)
        self.assertNotIn("api_token", state)
        self.assertEqual(economy["changes"], {"deltacoin_balance": {"before": "100.00", "after": "5000.00"}})
        self.assertEqual(economy["resource"], {"type": "userprofile", "id": str(self.profile.pk)})
        self.assertEqual(economy["actor"]["id"], str(self.admin.pk))
        self.assertEqual(changed["request_id"], "req-save-1")
        sent = json.dumps(self.intake.requests)
        for planted in ("Rahim", "Karim", "tok-secret"):
            self.assertNotIn(planted, sent)

    def test_a_privacy_change_carries_the_whole_after_state_and_no_economy_event(self):
        self.client.post(self.change_url, self.form(show_social_links="on"))
        [changed] = self.intake.events()
        self.assertEqual(changed["action"], "admin.userprofile.changed")
        self.assertEqual(changed["changes"], {"show_social_links": {"before": False, "after": True}})
        self.assertEqual(changed["metadata"]["state"]["profile_visibility"], "PRIVATE")
        self.assertIs(changed["metadata"]["state"]["show_social_links"], True)

    def test_an_add_publishes_created(self):
        response = self.client.post(
            "/admin/profiles/userprofile/add/", self.form(display_name="newbie", lifetime_earnings="1.00")
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.actions(), ["admin.userprofile.created", "admin.economy_field.changed"])
        created = self.intake.events()[0]
        self.assertEqual(created["changes"]["display_name"], {"before": None, "after": "newbie"})
        self.assertEqual(created["changes"]["real_name"], REDACTED)

    def test_deleting_one_object_publishes_deleted_with_its_last_state(self):
        response = self.client.post(f"/admin/profiles/userprofile/{self.profile.pk}/delete/", {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(UserProfile.objects.exists())
        [event] = self.intake.events()
        self.assertEqual(event["action"], "admin.userprofile.deleted")
        self.assertEqual(event["resource"], {"type": "userprofile", "id": str(self.profile.pk)})
        self.assertEqual(event["metadata"]["state"]["deltacoin_balance"], "100.00")
        self.assertNotIn("real_name", event["metadata"]["state"])

    def test_a_bulk_action_publishes_its_name_and_affected_count(self):
        others = [UserProfile.objects.create(display_name=f"u{i}") for i in range(2)]
        selected = [self.profile.pk] + [p.pk for p in others]
        response = self.client.post(
            "/admin/profiles/userprofile/",
            {"action": "make_private", "_selected_action": [str(pk) for pk in selected], "index": "0"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(UserProfile.objects.filter(profile_visibility="PRIVATE").count(), 3)
        [event] = self.intake.events()
        self.assertEqual(event["action"], "admin.bulk_action.executed")
        self.assertEqual(event["metadata"]["action_name"], "make_private")
        self.assertEqual(event["metadata"]["affected_count"], 3)
        self.assertEqual(sorted(event["metadata"]["object_ids"]), sorted(str(pk) for pk in selected))
        self.assertEqual(event["resource"], {"type": "userprofile", "id": "*"})

    def test_delete_selected_publishes_only_once_confirmed(self):
        other = UserProfile.objects.create(display_name="u1")
        data = {"action": "delete_selected", "_selected_action": [str(self.profile.pk), str(other.pk)]}
        confirm_page = self.client.post("/admin/profiles/userprofile/", data)
        self.assertEqual(confirm_page.status_code, 200)
        self.assertEqual(self.intake.events(), [])
        self.assertEqual(UserProfile.objects.count(), 2)
        self.client.post("/admin/profiles/userprofile/", {**data, "post": "yes"})
        self.assertEqual(UserProfile.objects.count(), 0)
        [event] = self.intake.events()
        self.assertEqual(event["metadata"]["action_name"], "delete_selected")
        self.assertEqual(event["metadata"]["affected_count"], 2)


class AuditClientSettingsTests(TestCase):
    def tearDown(self):
        reset_audit_client()

    def test_a_missing_key_is_named(self):
        with override_settings(VIGIL_AUDIT={"URL": "http://127.0.0.1:9", "SOURCE": "profile"}):
            reset_audit_client()
            with self.assertRaisesMessage(ImproperlyConfigured, "VIGIL_AUDIT['API_KEY'] is missing"):
                get_audit_client()

    def test_missing_settings_are_named(self):
        from django.conf import settings

        with override_settings():
            del settings.VIGIL_AUDIT
            reset_audit_client()
            with self.assertRaisesMessage(ImproperlyConfigured, "VIGIL_AUDIT is not set"):
                get_audit_client()

    def test_an_invalid_value_is_refused_with_its_reason(self):
        with override_settings(VIGIL_AUDIT={"URL": "http://x", "API_KEY": "k", "SOURCE": "Profile App"}):
            reset_audit_client()
            with self.assertRaisesMessage(ImproperlyConfigured, "source must be"):
                get_audit_client()

    def test_the_spool_defaults_to_base_dir_and_the_client_is_shared(self):
        base_dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, base_dir)
        with override_settings(BASE_DIR=base_dir, VIGIL_AUDIT={"URL": "http://x", "API_KEY": "k", "SOURCE": "profile"}):
            reset_audit_client()
            client = get_audit_client()
            self.assertEqual(client.spool.path, f"{base_dir}/var/vigil-audit-profile.jsonl")
            self.assertIs(get_audit_client(), client)
