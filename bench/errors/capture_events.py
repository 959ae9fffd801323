"""Real sentry-python 1.9 exception events for bench/errors, sent to the DSN given (the bench's capture server).

A Flask app (FlaskIntegration: request URL, headers, cookies, JSON body) fails at stack depths 20 to 60, each
frame holding locals; logging breadcrumbs and an http breadcrumb precede every failure. Personal values
(argv[2], JSON) are planted in the message, locals, breadcrumbs, the request body and cookies, extra and user.
Usage: /usr/bin/python3 capture_events.py <dsn> '<planted json>'
"""
import json
import logging
import sys

import sentry_sdk
from flask import Flask, request
from sentry_sdk.integrations.flask import FlaskIntegration

DSN, PLANTED = sys.argv[1], json.loads(sys.argv[2])
DEPTHS = (20, 32, 45, 60)

log = logging.getLogger("checkout")
app = Flask(__name__)


class PaymentDeclined(Exception):
    pass


def descend(depth: int, order: dict, attempt: int) -> None:
    """One frame per level, each with locals of its own, as a deep framework stack has."""
    remaining = depth - 1
    step_name = f"step-{depth}"
    limits = {"max_items": 50, "currency": "BDT", "level": depth}
    if remaining > 0:
        descend(remaining, order, attempt)
        return
    customer_email = PLANTED["email"]
    card_number = PLANTED["card"]
    log.warning("declined for %s (phone %s)", customer_email, PLANTED["phone"])
    raise PaymentDeclined(f"Payment for order {order['id']} declined: card {card_number} of {customer_email}")


@app.route("/checkout/<int:depth>", methods=["POST"])
def checkout(depth: int) -> str:
    order = request.get_json()
    log.info("checkout by %s", order["email"])
    sentry_sdk.add_breadcrumb(
        type="http",
        category="httplib",
        data={"method": "POST", "url": f"https://pay.example.test/v2/charge?token={PLANTED['token']}", "status_code": 402},
    )
    descend(depth, order, attempt=1)
    return "unreachable"


def main() -> None:
    logging.basicConfig(level=logging.CRITICAL)
    sentry_sdk.init(
        dsn=DSN, integrations=[FlaskIntegration()], send_default_pii=True, release="shop@4.2.0", environment="bench"
    )
    sentry_sdk.set_user({"id": "u-77", "email": PLANTED["email"], "ip_address": PLANTED["ip"]})
    sentry_sdk.set_extra("contact", {"phone": PLANTED["phone"], "email": PLANTED["email"]})
    client = app.test_client()
    client.set_cookie("localhost", "sessionid", PLANTED["token"])
    for depth in DEPTHS:
        body = {"id": 9000 + depth, "email": PLANTED["email"], "password": PLANTED["password"], "phone": PLANTED["phone"]}
        client.post(f"/checkout/{depth}", json=body)
    sentry_sdk.flush(timeout=10)


if __name__ == "__main__":
    main()
