"""The pages of seed 000 §2.2: the public profile, and the settings saves (basic and privacy)."""
import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from .audit import publish_user_change
from .forms import BasicSettingsForm, PrivacySettingsForm
from .models import PrivacySettings, Profile

logger = logging.getLogger("profiles.views")

FAIL_HEADER = "HTTP_X_FAIL_ON_PURPOSE"


class FailureOnPurpose(RuntimeError):
    """Raised when a request asks for a 500 (?fail=1 or X-Fail-On-Purpose: 1): load tests shape a 5xx share."""


def fail_if_asked(request: HttpRequest) -> None:
    if request.GET.get("fail") == "1" or request.META.get(FAIL_HEADER) == "1":
        raise FailureOnPurpose("failure requested by the client")


@require_GET
def boom(request: HttpRequest) -> HttpResponse:
    """An unhandled PrivacySettings.DoesNotExist with an e-mail address in its message and locals (the README
    walk-through): the app's Sentry SDK reports it as it is, and Vigil's errors service stores it scrubbed."""
    email = request.GET.get("email", "rahim.demo@example.com")
    raise PrivacySettings.DoesNotExist(f"no privacy settings for {email}")


@require_GET
def public_profile(request: HttpRequest, username: str) -> HttpResponse:
    fail_if_asked(request)
    profile = get_object_or_404(Profile.objects.select_related("user", "privacy"), user__username=username)
    privacy = profile.privacy
    is_owner = request.user.is_authenticated and request.user.pk == profile.user_id
    can_view = is_owner or privacy.profile_visibility == PrivacySettings.Visibility.PUBLIC
    context = {
        "profile": profile,
        "can_view": can_view,
        "social_links": profile.social_links() if can_view and privacy.show_social_links else [],
        "show_earnings": can_view and privacy.show_earnings,
    }
    logger.info("profile viewed", extra={"context": {"username": username, "can_view": can_view}})
    return render(request, "profiles/profile.html", context, status=200)


def changes_between(before: dict, after: dict) -> dict:
    return {k: {"before": before[k], "after": after[k]} for k in after if before.get(k) != after[k]}


def snapshot(instance, fields) -> dict:
    return {f: getattr(instance, f) for f in fields}


@login_required
@require_GET
def privacy_settings(request: HttpRequest) -> HttpResponse:
    privacy = get_object_or_404(PrivacySettings, profile__user=request.user)
    return render(request, "profiles/settings.html", {"privacy_form": PrivacySettingsForm(instance=privacy)})


@login_required
@require_POST
def save_privacy_settings(request: HttpRequest) -> HttpResponse:
    fail_if_asked(request)
    privacy = get_object_or_404(PrivacySettings, profile__user=request.user)
    fields = PrivacySettingsForm.Meta.fields
    before = snapshot(privacy, fields)
    form = PrivacySettingsForm(request.POST, instance=privacy)
    if not form.is_valid():
        return render(request, "profiles/settings.html", {"privacy_form": form}, status=400)
    form.save()
    after = snapshot(privacy, fields)
    changes = changes_between(before, after)
    if changes:
        publish_user_change(request, "privacy.settings.updated", ("profile", str(privacy.profile_id)), changes, after)
    logger.info("privacy settings saved", extra={"context": {"changed": sorted(changes)}})
    return redirect("profiles:privacy-settings")


@login_required
@require_POST
def save_basic_settings(request: HttpRequest) -> HttpResponse:
    fail_if_asked(request)
    profile = get_object_or_404(Profile, user=request.user)
    form = BasicSettingsForm(request.POST, instance=profile)
    if not form.is_valid():
        return render(request, "profiles/settings.html", {"basic_form": form}, status=400)
    form.save()
    # Field names only: a bio or a display name is personal data and stays out of the logs.
    logger.info("basic settings saved", extra={"context": {"changed": sorted(form.changed_data)}})
    return redirect("profiles:public-profile", username=request.user.username)
