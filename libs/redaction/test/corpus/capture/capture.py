"""Captures real framework output for the redaction corpus and writes it as corpus category files.

Runs the unmodified Debian packages (python3-django 3.2, python3-structlog 22.3, python3-sentry-sdk 1.9) under
Debian's interpreter:

    /usr/bin/python3 libs/redaction/test/corpus/capture/capture.py

What it captures, for a handful of scenarios with distinct (fake, deterministic) personal values and secrets:
- Django's technical 500 page (DEBUG=True) in HTML and in text, cut to the parts that hold request data and
  frame locals (a key and its value sit in separate table cells in the HTML);
- Django's own log records: `django.request` errors with their traceback, `django.db.backends` SQL with literals;
- structlog lines from its key=value, logfmt, JSON and console renderers;
- the event JSON that sentry-sdk 1.9 POSTs to a local 127.0.0.1 http.server (gzip-decoded): exception
  messages, frame vars, breadcrumbs, request data and user.

Each scenario is either a positive (sensitive values listed) or a hard negative (nothing sensitive, ids to
keep). Values that Sentry or Django generate per run (event ids, timestamps, memory addresses) make the
committed text differ from a re-run; the checks never depend on them.
"""

import gzip
import io
import json
import logging
import os
import random
import re
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer
from wsgiref.simple_server import WSGIRequestHandler, make_server

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(os.path.dirname(HERE), "cases")

# ---------------------------------------------------------------- values (deterministic, distinctive)

rng = random.Random(20261207)
FIRST = ["Rahim", "Nusrat", "Tanvir", "Farhana", "Sakib", "Mitu", "Olivia", "Arjun", "Sofia", "Imran", "Tahmina", "Liam"]
LAST = ["Uddin", "Hossain", "Chowdhury", "Akter", "Talukder", "Begum", "Smith", "Sharma", "Rossi", "Siddiqui"]


def digits(n):
    return "".join(str(rng.randint(0, 9)) for _ in range(n))


def luhn_card(prefix="4", length=16):
    body = prefix + digits(length - len(prefix) - 1)
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def person():
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def email_of(name):
    return f"{name.lower().replace(' ', '.')}{rng.randint(10, 999)}@{rng.choice(['gmail.com', 'yahoo.com', 'example.com'])}"


def bd_mobile():
    return f"01{rng.choice('3456789')}{digits(8)}"


def password():
    return f"{rng.choice(['Monsoon', 'Padma', 'Hilsa', 'Jamdani'])}{rng.choice('!#$%&')}{rng.randint(100, 9999)}"


def alnum(n):
    return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))


def scenario(i):
    name = person()
    return {
        "name": name,
        "email": email_of(name),
        "phone": f"+880{bd_mobile()[1:]}",
        "bkash": bd_mobile(),
        "card": luhn_card(rng.choice(["4", "51", "55"])),
        "password": password(),
        "token": alnum(40),
        "session": "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(32)),
        "ip": f"203.0.113.{rng.randint(2, 250)}",
        "nid": f"{rng.randint(1, 9)}{digits(9)}",
        "order": f"ORD-2026-{digits(6)}",
        "amount": f"{rng.randint(100, 9999)}.{rng.randint(10, 99)}",
        "sku": f"SKU-{digits(5)}",
    }


POSITIVE = [scenario(i) for i in range(8)]
NEGATIVE = [scenario(100 + i) for i in range(6)]

# ---------------------------------------------------------------- Django

import django  # noqa: E402
from django.conf import settings  # noqa: E402

DJANGO_SECRET = "django-insecure-" + alnum(50)
settings.configure(
    DEBUG=True,
    SECRET_KEY=DJANGO_SECRET,
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["*"],
    MIDDLEWARE=[],
    INSTALLED_APPS=["django.contrib.contenttypes"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:", "PASSWORD": "Padma#db2026"}},
    STRIPE_PUBLISHABLE_KEY="pk_live_" + alnum(24),
    LOGGING_CONFIG=None,
    USE_TZ=True,
)

import sentry_sdk  # noqa: E402
from sentry_sdk.integrations.django import DjangoIntegration  # noqa: E402
from sentry_sdk.integrations.logging import LoggingIntegration  # noqa: E402

received = []


class SentryStore(BaseHTTPRequestHandler):
    """A local Sentry: keeps every decoded POST body (store endpoint JSON, or envelope lines)."""

    def do_POST(self):  # noqa: N802 (http.server API)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        received.append((self.path, body.decode("utf-8")))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), SentryStore)
threading.Thread(target=server.serve_forever, daemon=True).start()
SENTRY_KEY = "".join(rng.choice("0123456789abcdef") for _ in range(32))
sentry_sdk.init(
    dsn=f"http://{SENTRY_KEY}@127.0.0.1:{server.server_port}/42",
    integrations=[DjangoIntegration(), LoggingIntegration(level=logging.INFO, event_level=None)],
    send_default_pii=True,
    request_bodies="always",
    release="shop@2.8.1",
    environment="production",
    default_integrations=True,
)

django.setup()

from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.urls import path  # noqa: E402

app_log = logging.getLogger("shop.checkout")
app_log.setLevel(logging.INFO)


class PaymentDeclined(Exception):
    pass


def checkout(request):
    customer_email = request.POST.get("email", "")
    card_number = request.POST.get("card_number", "")
    order_number = request.POST.get("order", "")
    bkash_number = request.POST.get("bkash", "")
    amount = request.POST.get("amount", "")
    app_log.info("checkout started for %s order %s", customer_email or "guest", order_number)
    if bkash_number:
        app_log.info("bKash wallet %s selected", bkash_number)
    if card_number:
        raise PaymentDeclined(f"card {card_number} declined for {customer_email}")
    raise PaymentDeclined(f"order {order_number} amount {amount} exceeds wallet limit")


def ok(request):
    return HttpResponse("ok")


urlpatterns = [path("checkout/", checkout), path("ok/", ok)]

django_log = io.StringIO()
handler = logging.StreamHandler(django_log)
handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
for name in ("django.request", "django.db.backends"):
    logging.getLogger(name).addHandler(handler)
    logging.getLogger(name).setLevel(logging.DEBUG)
    logging.getLogger(name).propagate = False


def post(s, positive, accept):
    """POSTs the checkout form to the real WSGI server (Sentry's WSGI middleware sees it as in production)."""
    data = {"order": s["order"], "amount": s["amount"], "sku": s["sku"]}
    headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded", "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0"}
    cookies = "django_language=bn"
    if positive:
        data.update({"email": s["email"], "card_number": s["card"], "password": s["password"], "bkash": s["bkash"]})
        headers["Authorization"] = f"Token {s['token']}"
        headers["X-Forwarded-For"] = s["ip"]
        cookies += f"; sessionid={s['session']}"
    headers["Cookie"] = cookies
    request = urllib.request.Request(f"{BASE}/checkout/?page=1", data=urllib.parse.urlencode(data).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        return error.read()


def sensitive_of(s):
    return [s["email"], s["card"], s["password"], s["token"], s["session"], s["bkash"]]


def cut(pattern, text, limit=3500):
    match = re.search(pattern, text, re.S)
    return match.group(0)[:limit] if match else ""


def present(values, text):
    return [v for v in values if v in text]


cases = {name: [] for name in ("django-debug-html", "django-debug-text", "django-logging", "structlog-output",
                               "sentry-exceptions", "sentry-frame-vars", "sentry-breadcrumbs", "sentry-request")}


def add(category, input_value, sensitive, keep):
    text = input_value if isinstance(input_value, str) else json.dumps(input_value, ensure_ascii=False)
    sensitive = [v for v in dict.fromkeys(sensitive) if v in text]
    keep = [v for v in dict.fromkeys(keep) if v in text]
    if not sensitive and not keep:
        return
    cases[category].append({"input": input_value, "sensitive": sensitive, "keep": keep})


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


wsgi = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=QuietHandler)
threading.Thread(target=wsgi.serve_forever, daemon=True).start()
BASE = f"http://127.0.0.1:{wsgi.server_port}"
for positive, group in ((True, POSITIVE), (False, NEGATIVE)):
    for s in group:
        secret = sensitive_of(s) + [s["ip"]] if positive else []
        keep = [s["order"], s["sku"], s["amount"]]
        html = post(s, positive, "text/html").decode()
        post_table = cut(r'<h3 id="post-info">POST</h3>.*?</table>', html)
        add("django-debug-html", post_table, secret, keep + ["order", "amount"])
        frame_at = re.search(r'</code>, line \d+, in checkout', html)
        frame_vars = cut(r'<table class="vars" id="v\d+">\s*<thead>.*?</table>', html[frame_at.end() if frame_at else 0:])
        add("django-debug-html", frame_vars, secret, keep + ["card_number", "customer_email"] if positive else keep)
        meta = "\n".join(re.findall(r'<tr>\s*<td>(?:HTTP_AUTHORIZATION|HTTP_COOKIE|HTTP_X_FORWARDED_FOR|HTTP_ACCEPT|HTTP_USER_AGENT)</td>.*?</tr>', html, re.S))
        add("django-debug-html", meta, secret, ["HTTP_ACCEPT", "text/html", "django_language", "Firefox/121.0"])
        text = post(s, positive, "text/plain").decode()
        add("django-debug-text", cut(r"Request information:.*?(?=\nSettings:)", text, 3000), secret, keep + ["Request information:"])
        add("django-debug-text", cut(r"Exception Value:.*?\n", text) + "\n" + cut(r"Traceback \(most recent call last\):.*?(?=\nException Type)", text, 2500),
            secret, keep + ["PaymentDeclined"])

        # Django's SQL log: literals as the backend interpolates them for DEBUG logging.
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS customer (id integer primary key, email text, phone text, nid text, order_no text)")
            if positive:
                cursor.execute("INSERT INTO customer (email, phone, nid, order_no) VALUES (%s, %s, %s, %s)", [s["email"], s["phone"], s["nid"], s["order"]])
                cursor.execute("UPDATE customer SET phone = %s WHERE email = %s", [s["phone"], s["email"]])
            else:
                cursor.execute("SELECT id, order_no FROM customer WHERE order_no = %s LIMIT 21", [s["order"]])
        lines = django_log.getvalue().splitlines()
        django_log.seek(0)
        django_log.truncate()
        sql = [line for line in lines if line.startswith("DEBUG django.db.backends (")]
        for line in sql[-2:]:
            add("django-logging", line, [s["email"], s["phone"], s["nid"]] if positive else [], [s["order"], "django.db.backends"])
        errors = [i for i, l in enumerate(lines) if l.startswith("ERROR django.request")]
        request_error = "\n".join(lines[errors[0]: errors[1]] if len(errors) > 1 else lines[: next((i for i, l in enumerate(lines) if l.startswith("DEBUG django.db")), len(lines))])
        add("django-logging", request_error[:2500], secret, keep[:1] + ["Internal Server Error: /checkout/", "PaymentDeclined"])

# Django's own cleansing of settings (SECRET_KEY, DATABASES PASSWORD, anything named like *KEY*): already
# starred, a second scrubber must leave the page as it is.
settings_lines = [line for line in text.splitlines() if re.match(r"(SECRET_KEY|DATABASES|DEBUG|ALLOWED_HOSTS|STRIPE_PUBLISHABLE_KEY|USE_TZ) = ", line)]
add("django-debug-text", "Settings:\nUsing settings module \n" + "\n".join(settings_lines), [],
    ["SECRET_KEY = '********************'", "'PASSWORD': '********************'", "ALLOWED_HOSTS = ['*']", "USE_TZ = True"])

# ---------------------------------------------------------------- structlog

import structlog  # noqa: E402

FIXED_TIME = "2026-12-07T10:15:30.123456Z"


def fixed_timestamp(_, __, event):
    event["timestamp"] = FIXED_TIME
    return event


renderers = [
    structlog.processors.KeyValueRenderer(key_order=["timestamp", "level", "event"]),
    structlog.processors.LogfmtRenderer(key_order=["timestamp", "level", "event"]),
    structlog.processors.JSONRenderer(),
    structlog.dev.ConsoleRenderer(colors=False),
]
for index, renderer in enumerate(renderers):
    out = io.StringIO()
    structlog.configure(
        processors=[structlog.processors.add_log_level, fixed_timestamp, renderer],
        logger_factory=structlog.PrintLoggerFactory(file=out),
        cache_logger_on_first_use=False,
    )
    log = structlog.get_logger()
    s = POSITIVE[index]
    n = NEGATIVE[index]
    checks = []
    log.info("user.login", email=s["email"], password=s["password"], ip=s["ip"], order=s["order"])
    checks.append(([s["email"], s["password"], s["ip"]], [s["order"], "user.login"]))
    log.warning("payment.failed", card=s["card"], bkash_number=s["bkash"], amount=s["amount"], sku=s["sku"])
    checks.append(([s["card"], s["bkash"]], [s["amount"], s["sku"], "payment.failed"]))
    log.info("api.call", headers={"Authorization": f"Bearer {s['token']}", "Accept": "application/json"}, status=200)
    checks.append(([s["token"]], ["application/json", "api.call"]))
    log.info("order.shipped", order=n["order"], sku=n["sku"], amount=n["amount"], carrier="pathao")
    checks.append(([], [n["order"], n["sku"], n["amount"], FIXED_TIME]))
    log.info("cache.stats", hits=9182, misses=311, hit_ratio=0.967, request_id="7d0c5a2e-4f1b-4c8e-9a51-3f2d1e0b6c47")
    checks.append(([], ["9182", "0.967", "7d0c5a2e-4f1b-4c8e-9a51-3f2d1e0b6c47"]))
    for line, (sensitive, keep) in zip(out.getvalue().splitlines(), checks):
        add("structlog-output", line, sensitive, keep)

# ---------------------------------------------------------------- Sentry events

sentry_sdk.flush(timeout=5)
events = []
for route, body in received:
    if route.endswith("/store/"):
        events.append(json.loads(body))
    else:
        for line in body.splitlines():
            if line.startswith("{") and '"exception"' in line:
                events.append(json.loads(line))
events = [e for e in events if "exception" in e]

for index, event in enumerate(events):
    group = POSITIVE + NEGATIVE
    # One request per (scenario, accept) pair: two events per scenario, in order.
    s = group[index // 2] if index // 2 < len(group) else None
    if s is None:
        break
    positive = index // 2 < len(POSITIVE)
    secret = sensitive_of(s) + [s["ip"]] if positive else []
    keep = [s["order"], s["sku"], s["amount"]]
    exception = event["exception"]["values"][-1]
    frames = [f for f in exception["stacktrace"]["frames"] if f.get("function") == "checkout"]
    if index % 2 == 0:
        add("sentry-exceptions", {"event_id": event["event_id"], "level": event["level"], "release": event.get("release"),
                                  "exception": {"values": [{"type": exception["type"], "value": exception["value"], "module": exception.get("module")}]}},
            secret, keep + ["PaymentDeclined", "shop@2.8.1"])
        add("sentry-frame-vars", {"frames": frames}, secret, keep + ["checkout", "customer_email"])
        add("sentry-breadcrumbs", {"breadcrumbs": event.get("breadcrumbs", {})}, secret, keep + ["shop.checkout"])
        add("sentry-request", {"request": event.get("request"), "user": event.get("user")}, secret, keep + ["/checkout/", "django_language", "Firefox/121.0", "page=1"])
    else:
        # The same event as the raw JSON text the SDK sent, cut to its exception and vars.
        raw = json.dumps({"exception": {"values": [{"type": exception["type"], "value": exception["value"], "stacktrace": {"frames": frames}}]},
                          "platform": event.get("platform"), "sdk": event.get("sdk", {}).get("version")})
        add("sentry-exceptions", raw, secret, keep + ["PaymentDeclined", "1.9.10"])
        add("sentry-request", json.dumps({"request": event.get("request")}), secret, keep + ["/checkout/", "Firefox/121.0"])

ANCHORS = {
    "django-debug-html": ("Django 3.2 technical 500 page (DEBUG=True), HTML cells", "issue 16: Django debug page where key and value sit in separate cells"),
    "django-debug-text": ("Django 3.2 technical 500 page, text/plain", "issue 16: Django debug page text"),
    "django-logging": ("Django log records: django.request tracebacks, django.db.backends SQL", "issue 16: SQL with literal values; Django logging"),
    "structlog-output": ("structlog 22.3 KeyValue, Logfmt, JSON and Console renderers", "issue 16: key=value and structlog lines"),
    "sentry-exceptions": ("sentry-sdk 1.9 event exception values, as objects and raw JSON text", "Sentry Relay data scrubbing of exception values"),
    "sentry-frame-vars": ("sentry-sdk 1.9 stack frame vars (repr strings)", "Sentry Relay scrubbing of frame vars"),
    "sentry-breadcrumbs": ("sentry-sdk 1.9 logging breadcrumbs", "Sentry Relay scrubbing of breadcrumbs"),
    "sentry-request": ("sentry-sdk 1.9 request interface (data, headers, cookies, env) and user", "Sentry Relay default headers/cookies/data scrubbing"),
}

total = 0
for category, items in cases.items():
    surface, anchor = ANCHORS[category]
    out = {"category": category, "surface": f"captured: {surface}", "anchor": anchor,
           "cases": [{"id": f"{category}-{i + 1:03d}", **item} for i, item in enumerate(items)]}
    with open(os.path.join(CASES, f"{category}.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    total += len(items)
    print(f"{category}: {len(items)} cases ({sum(1 for c in items if not c['sensitive'])} hard negatives)")
print(f"{total} captured cases, {len(events)} sentry events")
server.shutdown()
