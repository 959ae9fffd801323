"""RequestContextMiddleware and JsonFormatter through Django's test client."""
import io
import json
import logging
import re

from django_env import django_test_databases  # noqa: F401 - module fixture
from django.contrib.auth.models import User
from django.test import TestCase

from vigil import context
from vigil.django.logging import JsonFormatter

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
INCOMING = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


class RequestIdTests(TestCase):
    def test_a_valid_request_id_is_kept_and_echoed(self):
        response = self.client.get("/whoami/", HTTP_X_REQUEST_ID="req_123-abc.DEF")
        self.assertEqual(response["X-Request-ID"], "req_123-abc.DEF")
        self.assertEqual(response.json()["request_id"], "req_123-abc.DEF")

    def test_an_invalid_or_missing_request_id_is_replaced(self):
        for header in ({"HTTP_X_REQUEST_ID": "bad id!"}, {"HTTP_X_REQUEST_ID": "a" * 129}, {}):
            response = self.client.get("/whoami/", **header)
            self.assertRegex(response["X-Request-ID"], UUID)
            self.assertEqual(response.json()["request_id"], response["X-Request-ID"])

    def test_128_characters_are_still_accepted(self):
        response = self.client.get("/whoami/", HTTP_X_REQUEST_ID="a" * 128)
        self.assertEqual(response["X-Request-ID"], "a" * 128)

    def test_a_valid_traceparent_keeps_its_trace_with_a_new_span(self):
        response = self.client.get("/whoami/", HTTP_TRACEPARENT=INCOMING)
        trace, span, flags = TRACEPARENT.match(response["traceparent"]).groups()
        self.assertEqual(trace, "4bf92f3577b34da6a3ce929d0e0e4736")
        self.assertNotEqual(span, "00f067aa0ba902b7")
        self.assertEqual(flags, "01")
        self.assertEqual(response.json()["trace_id"], trace)

    def test_an_invalid_traceparent_starts_a_new_trace(self):
        for bad in (
            "garbage",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        ):
            response = self.client.get("/whoami/", HTTP_TRACEPARENT=bad)
            match = TRACEPARENT.match(response["traceparent"])
            self.assertIsNotNone(match, bad)
            self.assertNotEqual(match.group(1), "4bf92f3577b34da6a3ce929d0e0e4736", bad)
            self.assertNotEqual(match.group(1), "0" * 32, bad)
        response = self.client.get("/whoami/")
        self.assertRegex(response["traceparent"], TRACEPARENT)

    def test_the_context_is_cleared_after_the_request(self):
        self.client.get("/whoami/", HTTP_X_REQUEST_ID="req-gone")
        self.assertIsNone(context.request_id.get())
        self.assertIsNone(context.trace_id.get())


class JsonFormatterTests(TestCase):
    def setUp(self):
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(JsonFormatter(sensitive_keys=["username"], service="profile"))
        self.logger = logging.getLogger("profiles.views")
        self.logger.addHandler(self.handler)
        self.logger.setLevel(logging.INFO)
        self.addCleanup(self.logger.removeHandler, self.handler)

    def lines(self):
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]

    def test_a_log_line_carries_the_request_ids_user_and_redacted_context(self):
        user = User.objects.create_user("viewer", password="pw-not-logged")
        self.client.force_login(user)
        response = self.client.get("/whoami/", HTTP_X_REQUEST_ID="req-42", HTTP_TRACEPARENT=INCOMING)
        [line] = self.lines()
        self.assertRegex(line["timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertEqual(line["level"], "INFO")
        self.assertEqual(line["logger"], "profiles.views")
        self.assertEqual(line["message"], "profile viewed")
        self.assertEqual(line["service"], "profile")
        self.assertEqual(line["request_id"], "req-42")
        self.assertEqual(line["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736")
        self.assertEqual(response["X-Request-ID"], line["request_id"])
        self.assertEqual(line["user_id"], str(user.pk))
        self.assertEqual(
            line["context"], {"username": "[REDACTED]", "password": "[REDACTED]", "auth_token": "[REDACTED]"}
        )
        self.assertNotIn("hunter2", self.stream.getvalue())

    def test_an_exception_is_logged_as_text_and_an_anonymous_user_as_null(self):
        self.client.get("/broken/")
        [line] = self.lines()
        self.assertEqual(line["level"], "ERROR")
        self.assertIn("ZeroDivisionError", line["exc_info"])
        self.assertIsNone(line["user_id"])
        self.assertEqual(line["context"], {"viewer_id": 12345})

    def test_outside_a_request_the_ids_are_null(self):
        self.logger.info("batch job", extra={"context": {"count": 3}})
        [line] = self.lines()
        self.assertEqual((line["request_id"], line["trace_id"], line["user_id"]), (None, None, None))
