"""Quick tests of the example site itself (Django's test runner, an in-memory sqlite database):

    cd examples/django-profile && VIGIL_API_KEY=test /usr/bin/python3 manage.py test profiles
"""
import json
import logging
from unittest import mock

from django.contrib.auth import get_user_model
from django.test import Client, TestCase

from .models import PrivacySettings, Profile, WalletSettings


def make_profile(username: str, visibility: str, show_social_links: bool) -> Profile:
    user = get_user_model().objects.create_user(username=username, password="pw-for-tests-123")
    profile = Profile.objects.create(
        user=user, display_name=username.title(), bio="likes chess", website_url=f"https://example.com/{username}"
    )
    PrivacySettings.objects.create(profile=profile, profile_visibility=visibility, show_social_links=show_social_links)
    WalletSettings.objects.create(profile=profile, account_number="01712345678")
    return profile


class HealthTests(TestCase):
    def test_liveness_readiness_and_summary_answer_with_the_database_state(self):
        for path in ("/health/liveness", "/health/readiness", "/health/"):
            response = self.client.get(path)
            self.assertEqual(response.status_code, 200, path)
            self.assertEqual(response.json()["status"], "ok")
        self.assertEqual(self.client.get("/health/").json()["database"], "connected")

    def test_user_profile_health_reports_profiles_without_privacy_settings(self):
        self.assertEqual(self.client.get("/health/user_profile/").json()["status"], "healthy")
        user = get_user_model().objects.create_user(username="orphan")
        Profile.objects.create(user=user, display_name="Orphan")
        response = self.client.get("/health/user_profile/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["checks"]["privacy_settings"], "missing for 1 profiles")


class ProfilePageTests(TestCase):
    def setUp(self):
        make_profile("rahim", "PUBLIC", True)
        make_profile("karim", "PRIVATE", True)

    def test_public_profile_shows_social_links(self):
        response = self.client.get("/u/rahim/")
        self.assertContains(response, "https://example.com/rahim")

    def test_private_profile_hides_everything_from_others(self):
        response = self.client.get("/u/karim/")
        self.assertContains(response, "This profile is private")
        self.assertNotContains(response, "https://example.com/karim")
        self.assertNotContains(response, "likes chess")

    def test_fails_on_purpose_with_a_500_when_asked(self):
        client = Client(raise_request_exception=False)
        with self.assertLogs("django.request", logging.ERROR):
            self.assertEqual(client.get("/u/rahim/?fail=1").status_code, 500)
            self.assertEqual(client.get("/u/rahim/", HTTP_X_FAIL_ON_PURPOSE="1").status_code, 500)
        self.assertEqual(client.get("/u/rahim/").status_code, 200)

    def test_boom_raises_an_unhandled_privacy_settings_lookup_failure_with_the_address(self):
        with self.assertRaisesMessage(PrivacySettings.DoesNotExist, "no privacy settings for rahim.demo@example.com"):
            self.client.get("/boom/")
        client = Client(raise_request_exception=False)
        with self.assertLogs("django.request", logging.ERROR):
            self.assertEqual(client.get("/boom/?email=a.b@example.org").status_code, 500)


class SettingsSaveTests(TestCase):
    def setUp(self):
        self.profile = make_profile("nadia", "PUBLIC", False)
        self.client.login(username="nadia", password="pw-for-tests-123")

    def test_privacy_save_publishes_the_changes_and_the_state_after(self):
        with mock.patch("profiles.audit.get_audit_client") as client:
            response = self.client.post(
                "/me/settings/privacy/save/", {"profile_visibility": "PRIVATE", "show_social_links": "on"}
            )
        self.assertEqual(response.status_code, 302)
        event = client.return_value.publish.call_args.args[0]
        self.assertEqual(event["action"], "privacy.settings.updated")
        self.assertEqual(event["resource"], {"type": "profile", "id": str(self.profile.pk)})
        self.assertEqual(
            event["changes"],
            {
                "profile_visibility": {"before": "PUBLIC", "after": "PRIVATE"},
                "show_social_links": {"before": False, "after": True},
            },
        )
        self.assertEqual(
            event["metadata"]["state"],
            {"profile_visibility": "PRIVATE", "show_social_links": True, "show_earnings": False},
        )
        self.assertRegex(event["request_id"], r"^[A-Za-z0-9._-]+$")  # from vigil's RequestContextMiddleware
        json.dumps(event)  # JSON-serialisable as it is

    def test_an_unchanged_save_publishes_nothing_and_bad_input_is_a_400(self):
        with mock.patch("profiles.audit.get_audit_client") as client:
            self.client.post("/me/settings/privacy/save/", {"profile_visibility": "PUBLIC"})
            bad = self.client.post("/me/settings/privacy/save/", {"profile_visibility": "SECRET"})
        client.return_value.publish.assert_not_called()
        self.assertEqual(bad.status_code, 400)

    def test_basic_save_logs_field_names_not_values(self):
        with self.assertLogs("profiles.views", logging.INFO) as logs:
            response = self.client.post(
                "/me/settings/basic/", {"display_name": "Nadia I.", "bio": "call me on 01711111111"}
            )
        self.assertEqual(response.status_code, 302)
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.bio, "call me on 01711111111")
        record = logs.records[-1]
        self.assertEqual(record.context, {"changed": ["bio", "display_name", "website_url"]})
        self.assertNotIn("01711111111", json.dumps(record.context))

    def test_settings_need_a_login(self):
        self.client.logout()
        response = self.client.post("/me/settings/privacy/save/", {"profile_visibility": "PRIVATE"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/accounts/login/"))
