"""The admin of seed 000, audited by Vigil's mixin: every change view, save and bulk action becomes an audit
event (source "profile"); an edit of deltacoin_balance or lifetime_earnings is also published as
admin.economy_field.changed, which Vigil's audit detector pages on. The economy fields stay editable on purpose:
the example shows the misuse being caught, not prevented (a real site would also make them read-only)."""
from django.contrib import admin
from vigil.django.admin import AuditedModelAdmin

from .models import PrivacySettings, Profile, WalletSettings


@admin.register(Profile)
class ProfileAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ("display_name", "user", "deltacoin_balance", "lifetime_earnings", "updated_at")
    search_fields = ("display_name", "user__username")
    audit_economy_fields = ("deltacoin_balance", "lifetime_earnings")


@admin.register(PrivacySettings)
class PrivacySettingsAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ("profile", "profile_visibility", "show_social_links")
    list_filter = ("profile_visibility", "show_social_links")


@admin.register(WalletSettings)
class WalletSettingsAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ("profile", "wallet_provider", "withdrawals_enabled")
    audit_sensitive_fields = ("account_number",)

    def audit_model_name(self) -> str:
        # Resource type "wallet": the audit detector counts admin accesses to wallets (seed 000 §4.3).
        return "wallet"
