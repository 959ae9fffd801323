"""Django integration. Django is imported only here and below: ``vigil`` itself does not need it.

``get_audit_client()`` builds one AuditClient per process from ``settings.VIGIL_AUDIT``.
"""
import os
import tempfile
import threading
from typing import Any, Optional

_lock = threading.Lock()
_client: Optional[Any] = None
_client_pid = 0

REQUIRED_KEYS = ("URL", "API_KEY", "SOURCE")


def _settings_dict() -> dict:
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    config = getattr(settings, "VIGIL_AUDIT", None)
    if not isinstance(config, dict):
        raise ImproperlyConfigured(
            "VIGIL_AUDIT is not set: add VIGIL_AUDIT = {'URL': ..., 'API_KEY': ..., 'SOURCE': ...} to settings"
        )
    for key in REQUIRED_KEYS:
        if not config.get(key):
            raise ImproperlyConfigured(f"VIGIL_AUDIT['{key}'] is missing or empty")
    return config


def default_spool_path(source: str) -> str:
    from django.conf import settings

    base_dir = getattr(settings, "BASE_DIR", None)
    directory = os.path.join(str(base_dir), "var") if base_dir else tempfile.gettempdir()
    return os.path.join(directory, f"vigil-audit-{source}.jsonl")


def build_audit_client():
    from django.core.exceptions import ImproperlyConfigured

    from vigil import AuditClient

    config = _settings_dict()
    options = {
        "spool_path": config.get("SPOOL_PATH") or default_spool_path(config["SOURCE"]),
        "batch": bool(config.get("BATCH", False)),
        "sensitive_keys": tuple(config.get("SENSITIVE_KEYS", ())),
    }
    for key, option in (("TIMEOUT", "timeout"), ("MAX_RETRIES", "max_retries"), ("BATCH_SIZE", "batch_size"),
                        ("FLUSH_INTERVAL", "flush_interval")):
        if key in config:
            options[option] = config[key]
    try:
        return AuditClient(config["URL"], config["API_KEY"], config["SOURCE"], **options)
    except ValueError as err:
        raise ImproperlyConfigured(f"VIGIL_AUDIT is invalid: {err}") from err


def get_audit_client():
    """The process's AuditClient (a new one in each forked worker)."""
    global _client, _client_pid
    with _lock:
        if _client is None or _client_pid != os.getpid():
            _client = build_audit_client()
            _client_pid = os.getpid()
        return _client


def reset_audit_client() -> None:
    """Forgets the process's client (after settings change, e.g. in tests); closes it first."""
    global _client
    with _lock:
        client, _client = _client, None
    if client is not None and _client_pid == os.getpid():
        client.close(timeout=1.0)
