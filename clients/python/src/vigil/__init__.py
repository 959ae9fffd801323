"""Vigil's Python client: ``AuditClient`` publishes audit events; ``vigil.django`` wires Django in."""
__version__ = "0.1.0"

from .client import AuditClient  # noqa: E402
from .event import prepare, validation_errors  # noqa: E402
from .redaction import REDACTED, KeyRedactor  # noqa: E402

__all__ = ["AuditClient", "KeyRedactor", "REDACTED", "prepare", "validation_errors", "__version__"]
