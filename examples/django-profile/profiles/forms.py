from django import forms

from .models import PrivacySettings, Profile


class PrivacySettingsForm(forms.ModelForm):
    class Meta:
        model = PrivacySettings
        fields = ("profile_visibility", "show_social_links", "show_earnings")


class BasicSettingsForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ("display_name", "bio", "website_url", "twitter_url", "github_url")
