import re
import subprocess
import sys
import os

import pytest

from fake_intake import admin_event
from vigil import REDACTED, KeyRedactor, prepare

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")


def test_prepare_fills_id_time_and_source():
    event = prepare(admin_event(), "shop", KeyRedactor())
    assert re.match(r"^[0-9a-f-]{36}$", event["id"])
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$", event["occurred_at"])
    assert event["source"] == "shop"


def test_prepare_keeps_given_id_and_time():
    event = prepare(
        admin_event(id="6f1c9a52-8d2e-4b7a-9a51-0c3e2f1b7d10", occurred_at="2025-01-06T09:30:00+01:00"),
        "shop",
        KeyRedactor(),
    )
    assert event["id"] == "6f1c9a52-8d2e-4b7a-9a51-0c3e2f1b7d10"
    assert event["occurred_at"] == "2025-01-06T09:30:00+01:00"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"action": "AdminChanged"}, "action must be dot.case"),
        ({"outcome": "ok"}, "outcome must be one of"),
        ({"actor": {"type": "robot", "id": "1"}}, "actor.type must be one of"),
        ({"actor": {"type": "admin", "id": ""}}, "actor.id must be a non-empty string"),
        ({"resource": {"type": "profile"}}, "resource.id must be a non-empty string"),
        ({"occurred_at": "2025-01-06T09:30:00"}, "occurred_at must be an ISO-8601 time with Z or a numeric offset"),
        ({"id": "not-a-uuid"}, "id must be a UUID"),
        ({"colour": "blue"}, "unknown keys: colour"),
        ({"changes": {"x": {"old": 1}}}, "changes.x must be an object with only before and after"),
        ({"metadata": {"blob": "x" * 17000}}, "metadata must serialize to at most 16384 bytes"),
        ({"metadata": {"x": object()}}, "metadata is not JSON"),
    ],
)
def test_invalid_events_raise_a_clear_value_error(overrides, message):
    with pytest.raises(ValueError) as err:
        prepare(admin_event(**overrides), "shop", KeyRedactor())
    assert message in str(err.value)


def test_missing_fields_are_all_named():
    with pytest.raises(ValueError) as err:
        prepare({}, "shop", KeyRedactor())
    for key in ("actor", "action", "resource", "outcome"):
        assert f"{key} is required" in str(err.value)


def test_values_of_sensitive_keys_are_redacted_at_any_depth():
    redactor = KeyRedactor(["real_name", "Date-Of-Birth"])
    event = prepare(
        admin_event(
            changes={
                "password": {"before": "old-pw", "after": "new-pw"},
                "real_name": {"before": "Rahim Uddin", "after": "Karim Uddin"},
                "display_name": {"before": "a", "after": {"session_id": "s3cr3t"}},
            },
            metadata={
                "headers": {"Authorization": "Bearer abc", "Cookie": "sessionid=1", "X-Api-Key": "k"},
                "items": [{"refresh_token": "t"}, {"client_secret": "c"}],
                "date_of_birth": "1990-01-01",
                "city": "Dhaka",
            },
        ),
        "shop",
        redactor,
    )
    assert event["changes"]["password"] == {"before": REDACTED, "after": REDACTED}
    assert event["changes"]["real_name"] == {"before": REDACTED, "after": REDACTED}
    assert event["changes"]["display_name"] == {"before": "a", "after": {"session_id": REDACTED}}
    assert event["metadata"]["headers"] == {"Authorization": REDACTED, "Cookie": REDACTED, "X-Api-Key": REDACTED}
    assert event["metadata"]["items"] == [{"refresh_token": REDACTED}, {"client_secret": REDACTED}]
    assert event["metadata"]["date_of_birth"] == REDACTED
    assert event["metadata"]["city"] == "Dhaka"


def test_django_values_become_json():
    import datetime
    import decimal

    event = prepare(
        admin_event(changes={"balance": {"before": decimal.Decimal("1.50"), "after": datetime.date(2025, 1, 6)}}),
        "shop",
        KeyRedactor(),
    )
    assert event["changes"]["balance"] == {"before": "1.50", "after": "2025-01-06"}


def test_the_core_client_does_not_import_django():
    code = "import sys, vigil; vigil.AuditClient; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": SRC}, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
