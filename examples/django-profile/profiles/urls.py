from django.urls import path

from . import health, views

app_name = "profiles"

urlpatterns = [
    path("u/<str:username>/", views.public_profile, name="public-profile"),
    path("me/settings/privacy/", views.privacy_settings, name="privacy-settings"),
    path("me/settings/privacy/save/", views.save_privacy_settings, name="save-privacy-settings"),
    path("me/settings/basic/", views.save_basic_settings, name="save-basic-settings"),
    path("boom/", views.boom, name="boom"),
    path("health/", health.summary, name="health"),
    path("health/liveness", health.liveness, name="health-liveness"),
    path("health/readiness", health.readiness, name="health-readiness"),
    path("health/user_profile/", health.user_profile, name="health-user-profile"),
]
