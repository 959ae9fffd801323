"""Settings of the example profile site, all from the environment (README.md lists the variables).

Instrumented only with what seed 000/001 prescribe: django-prometheus (HTTP and database metrics on
/metrics), JSON logs, /health/ endpoints with database checks, and Vigil's Python client for the audit
trail (clients/python/src, put on sys.path here so no pip install is needed).
"""
import os
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = BASE_DIR.parent.parent
# Vigil's Python client from this checkout (`pip install ./clients/python` does the same in a real project).
sys.path.insert(0, str(REPO_ROOT / "clients" / "python" / "src"))


def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None or value == "":
        raise ImproperlyConfigured(f"{name}: is required (see examples/django-profile/README.md)")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes"):
        return True
    if raw.lower() in ("0", "false", "no"):
        return False
    raise ImproperlyConfigured(f"{name}: must be true or false, got {raw!r}")


SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-profile-site-secret-key-not-for-production")
DEBUG = env_bool("PROFILE_DEBUG", False)
ALLOWED_HOSTS = env("PROFILE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
ENVIRONMENT = env("PROFILE_ENVIRONMENT", "development")
VERSION = "1.0.0"

INSTALLED_APPS = [
    "django_prometheus",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "profiles",
]

# django-prometheus' Before/After pair wraps everything, so every request (and its status) is counted.
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "vigil.django.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "profile_site.urls"
WSGI_APPLICATION = "profile_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database_from_url(url: str) -> dict:
    """DATABASE_URL=postgres://user:password@host:port/name, through django-prometheus' backend."""
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql") or not parsed.path.strip("/"):
        raise ImproperlyConfigured("DATABASE_URL: must be postgres://user:password@host:port/database")
    return {
        "ENGINE": "django_prometheus.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
    }


# sqlite by default (PROFILE_DB_PATH); Postgres when DATABASE_URL is set (needs python3-psycopg2).
# django-prometheus' backends count queries, errors and their duration per alias and vendor.
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django_prometheus.db.backends.sqlite3",
            "NAME": env("PROFILE_DB_PATH", str(BASE_DIR / ".data" / "db.sqlite3")),
        }
    }
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/me/settings/privacy/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True
STATIC_URL = "/static/"
MEDIA_ROOT = env("PROFILE_MEDIA_ROOT", str(BASE_DIR / ".data" / "media"))
Path(MEDIA_ROOT).mkdir(parents=True, exist_ok=True)

# Seed 000 §7.1 / seed 001 "Structured Logging Format": one JSON object per line on stdout.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "vigil.django.logging.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}},
    "root": {"handlers": ["stdout"], "level": env("PROFILE_LOG_LEVEL", "INFO")},
    "loggers": {
        # Request errors (the 500s) are logged once, by django.request, with their traceback.
        "django.request": {"handlers": ["stdout"], "level": "ERROR", "propagate": False},
    },
}

# Vigil's audit trail: the admin mixin and the privacy views publish here (source "profile").
VIGIL_AUDIT = {
    "URL": env("VIGIL_AUDIT_URL", "http://127.0.0.1:3002"),
    "API_KEY": env("VIGIL_API_KEY"),
    "SOURCE": env("VIGIL_AUDIT_SOURCE", "profile"),
    "SPOOL_PATH": env("VIGIL_AUDIT_SPOOL_PATH", str(BASE_DIR / ".data" / "audit-spool.jsonl")),
    "BATCH": env_bool("VIGIL_AUDIT_BATCH", False),
    # Redacted by the client wherever they appear in an event (seed 000 §1.3: wallet account numbers).
    "SENSITIVE_KEYS": ["account_number"],
}

# Unhandled errors go to a Sentry-compatible endpoint when SENTRY_DSN is set: under `npm start`, Vigil's errors
# service (project django-profile). The SDK is set up exactly as for Sentry itself: only the DSN differs.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError as missing:
        raise ImproperlyConfigured(
            "SENTRY_DSN: is set but sentry_sdk is missing (apt-get install python3-sentry-sdk)"
        ) from missing
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        environment=ENVIRONMENT,
        release=f"profile-site@{VERSION}",
    )
