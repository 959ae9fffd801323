"""``AuditedModelAdmin``: Django admin views, saves and bulk actions become Vigil audit events.

    class UserProfileAdmin(AuditedModelAdmin, admin.ModelAdmin):
        audit_sensitive_fields = ("real_name", "date_of_birth")      # KYC: values never leave the process
        audit_economy_fields = ("deltacoin_balance", "lifetime_earnings")

Events (actor {type: admin, id: user pk, ip}, resource {type: model_name, id: pk}, request/trace ids):
- ``admin.<model>.viewed``        a change view shown (GET); ``metadata.fields`` lists the fields displayed;
- ``admin.<model>.changed``       a save (``admin.<model>.created`` for an add), ``changes: {field: {before, after}}``
                                  and ``metadata.state`` = the saved object's non-sensitive concrete fields;
- ``admin.economy_field.changed`` once more per save that changed an ``audit_economy_fields`` field;
- ``admin.<model>.deleted``       one object deleted from its page; ``metadata.state`` as it was;
- ``admin.bulk_action.executed``  an admin action over a queryset: ``metadata.action_name``, ``affected_count``.
Events are published inside the admin's transaction: if publishing fails (the spool cannot be written)
the save is rolled back, so no admin change goes unaudited.
"""
import functools
import json
from typing import Any, Dict, Iterable, List, Optional

from vigil import context
from vigil.event import METADATA_MAX_BYTES, to_json_value
from vigil.redaction import REDACTED

from . import get_audit_client
from .middleware import client_ip

_STATE_TEXT_CHARS = 256  # longer text in metadata.state is cut, so a big TextField cannot overflow metadata
_OBJECT_IDS_MAX = 100


def _json_ready(value: Any) -> Any:
    """A model field's value as JSON: files by name, binary as a marker, dates and decimals as text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "[binary]"
    if hasattr(value, "name") and hasattr(value, "storage"):  # FieldFile
        return value.name or None
    try:
        return to_json_value(value)
    except TypeError:
        return json.loads(json.dumps(value, default=str))


class AuditedModelAdmin:
    """Mixin for ``admin.ModelAdmin``; put it before ModelAdmin in the bases."""

    audit_economy_fields: Iterable[str] = ("deltacoin_balance", "lifetime_earnings")
    audit_sensitive_fields: Iterable[str] = ()
    audit_client = None  # an AuditClient; None: vigil.django.get_audit_client()

    # --- what the events are made of -------------------------------------------------------------
    def get_audit_client(self):
        return self.audit_client if self.audit_client is not None else get_audit_client()

    def audit_model_name(self) -> str:
        return self.model._meta.model_name

    def _is_sensitive_field(self, field) -> bool:
        client = self.get_audit_client()
        return (
            field.name in tuple(self.audit_sensitive_fields)
            or client.redactor.is_sensitive(field.name)
            or client.redactor.is_sensitive(field.attname)
        )

    def _concrete_fields(self) -> List[Any]:
        return [f for f in self.model._meta.concrete_fields]

    def _audit_event(self, request, action: str, resource_id: str, **fields: Any) -> Dict[str, Any]:
        user = getattr(request, "user", None)
        actor = {"type": "admin", "id": str(user.pk) if user is not None and user.pk is not None else "anonymous"}
        ip = client_ip(request)
        if ip:
            actor["ip"] = ip
        event = {
            "actor": actor,
            "action": action,
            "resource": {"type": self.audit_model_name(), "id": str(resource_id)},
            "outcome": "success",
            "request_id": context.request_id.get() or getattr(request, "request_id", None),
            "trace_id": context.trace_id.get() or getattr(request, "trace_id", None),
        }
        event.update(fields)
        return event

    def _snapshot(self, obj) -> Dict[str, Any]:
        return {f.name: f.value_from_object(obj) for f in self._concrete_fields()}

    def _state(self, obj) -> Dict[str, Any]:
        state = {}
        for field in self._concrete_fields():
            if self._is_sensitive_field(field):
                continue
            value = _json_ready(field.value_from_object(obj))
            if isinstance(value, str) and len(value) > _STATE_TEXT_CHARS:
                value = value[:_STATE_TEXT_CHARS] + "…"
            state[field.name] = value
        return state

    def _diff(self, before: Optional[Dict[str, Any]], after: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
        changes = {}
        fields = {f.name: f for f in self._concrete_fields()}
        for name, value in after.items():
            old = before.get(name) if before is not None else None
            if before is not None and old == value:
                continue
            if before is None and value in (None, ""):
                continue
            if self._is_sensitive_field(fields[name]):
                changes[name] = {"before": REDACTED, "after": REDACTED}
            else:
                changes[name] = {"before": _json_ready(old), "after": _json_ready(value)}
        return changes

    # --- hooks into ModelAdmin ------------------------------------------------------------------
    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj = getattr(response, "context_data", {}).get("original") if hasattr(response, "context_data") else None
            pk = obj.pk if obj is not None else object_id
            metadata = {}
            if obj is not None:
                metadata["fields"] = [str(f) for f in _flatten(self.get_fields(request, obj))]
            self.get_audit_client().publish(
                self._audit_event(request, f"admin.{self.audit_model_name()}.viewed", pk, metadata=metadata)
            )
        return response

    def save_model(self, request, obj, form, change):
        before = None
        if change and obj.pk is not None:
            old = self.model._default_manager.filter(pk=obj.pk).first()
            before = self._snapshot(old) if old is not None else None
        super().save_model(request, obj, form, change)
        changes = self._diff(before, self._snapshot(obj))
        self._publish_save(request, obj, changes, created=before is None)

    def _publish_save(self, request, obj, changes: Dict[str, Any], created: bool) -> None:
        client = self.get_audit_client()
        model = self.audit_model_name()
        state = self._state(obj)
        metadata: Dict[str, Any] = {"state": state}
        if len(json.dumps(metadata, default=str).encode("utf-8")) > METADATA_MAX_BYTES - 512:
            metadata = {"state_omitted": "larger than the metadata limit"}
        verb = "created" if created else "changed"
        client.publish(self._audit_event(request, f"admin.{model}.{verb}", obj.pk, changes=changes, metadata=metadata))
        economy = {k: v for k, v in changes.items() if k in tuple(self.audit_economy_fields)}
        if economy:
            client.publish(
                self._audit_event(
                    request,
                    "admin.economy_field.changed",
                    obj.pk,
                    changes=economy,
                    metadata={"model": model, "fields": sorted(economy), "admin_action": verb},
                )
            )

    def delete_model(self, request, obj):
        pk, state = obj.pk, self._state(obj)
        super().delete_model(request, obj)
        self.get_audit_client().publish(
            self._audit_event(request, f"admin.{self.audit_model_name()}.deleted", pk, metadata={"state": state})
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        return {
            name: (self._audited_action(func, name), action_name, description)
            for name, (func, action_name, description) in actions.items()
        }

    def _audited_action(self, func, name: str):
        @functools.wraps(func)
        def audited(modeladmin, request, queryset):
            ids = [str(pk) for pk in queryset.values_list("pk", flat=True)[: _OBJECT_IDS_MAX + 1]]
            count = queryset.count()
            result = func(modeladmin, request, queryset)
            # delete_selected first answers with a confirmation page: nothing was executed yet.
            if name == "delete_selected" and not request.POST.get("post"):
                return result
            metadata = {
                "action_name": name,
                "affected_count": count,
                "object_ids": ids[:_OBJECT_IDS_MAX],
                "object_ids_truncated": len(ids) > _OBJECT_IDS_MAX,
            }
            resource_id = ids[0] if count == 1 else "*"
            modeladmin.get_audit_client().publish(
                modeladmin._audit_event(request, "admin.bulk_action.executed", resource_id, metadata=metadata)
            )
            return result

        return audited


def _flatten(fields) -> List[Any]:
    out: List[Any] = []
    for item in fields:
        if isinstance(item, (list, tuple)):
            out.extend(_flatten(item))
        else:
            out.append(item)
    return out
