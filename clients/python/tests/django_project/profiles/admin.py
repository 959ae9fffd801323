from django.contrib import admin

from vigil.django.admin import AuditedModelAdmin

from .models import UserProfile


@admin.register(UserProfile)
class UserProfileAdmin(AuditedModelAdmin, admin.ModelAdmin):
    audit_sensitive_fields = ("real_name",)
    actions = ["make_private"]
    fields = (
        "display_name",
        "real_name",
        "api_token",
        "profile_visibility",
        "show_social_links",
        "deltacoin_balance",
        "lifetime_earnings",
    )

    @admin.action(description="Make private")
    def make_private(self, request, queryset):
        queryset.update(profile_visibility="PRIVATE")
