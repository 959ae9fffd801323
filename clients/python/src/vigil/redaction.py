"""Key-name redaction: values under sensitive keys never leave the process.

The client cannot recognise a secret by its value, but it can by the name it is stored under: a
password field, an API key, a session cookie. Every dict walked here has the value of such a key
replaced by ``REDACTED``; configured keys (KYC fields such as ``real_name``) are added per client.
"""
import re
from typing import Any, Iterable, FrozenSet

REDACTED = "[REDACTED]"

# Substrings of a normalised key name that mark its value as a secret.
_SECRET_PARTS = ("password", "passwd", "secret", "token", "apikey", "authorization", "cookie", "session")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def normalise_key(key: str) -> str:
    """``X-Api-Key``, ``api_key`` and ``apiKey`` all become ``apikey``."""
    return _NOT_ALNUM.sub("", key.lower())


class KeyRedactor:
    """Decides which keys are sensitive: the built-in secret names plus configured extra keys."""

    def __init__(self, extra_keys: Iterable[str] = ()):
        extras = [extra_keys] if isinstance(extra_keys, str) else list(extra_keys)
        self.extra_keys: FrozenSet[str] = frozenset(normalise_key(k) for k in extras)

    def is_sensitive(self, key: Any) -> bool:
        if not isinstance(key, str):
            return False
        name = normalise_key(key)
        return name in self.extra_keys or any(part in name for part in _SECRET_PARTS)

    def redact(self, value: Any, _depth: int = 0) -> Any:
        """A copy of ``value`` with every sensitive key's value replaced, at any depth."""
        if _depth > 32:
            return value
        if isinstance(value, dict):
            return {
                k: REDACTED if self.is_sensitive(k) else self.redact(v, _depth + 1) for k, v in value.items()
            }
        if isinstance(value, (list, tuple)):
            return [self.redact(v, _depth + 1) for v in value]
        return value

    def redact_changes(self, changes: Any) -> Any:
        """``changes`` keeps the fact that a sensitive field changed, not its values."""
        if not isinstance(changes, dict):
            return changes
        out = {}
        for field, change in changes.items():
            if self.is_sensitive(field) and isinstance(change, dict):
                out[field] = {k: REDACTED for k in change}
            else:
                out[field] = self.redact(change)
        return out
