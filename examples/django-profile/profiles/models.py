"""The user_profile data of seed 000: a profile with economy fields, its privacy settings and wallet settings."""
from decimal import Decimal

from django.conf import settings
from django.db import models


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=80)
    bio = models.TextField(blank=True)
    website_url = models.URLField(blank=True)
    twitter_url = models.URLField(blank=True)
    github_url = models.URLField(blank=True)
    # Economy fields: owned by the economy app; an admin editing them is misuse that pages (seed 000 §4.1).
    deltacoin_balance = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    lifetime_earnings = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.display_name

    def social_links(self) -> list[tuple[str, str]]:
        links = [("Website", self.website_url), ("Twitter", self.twitter_url), ("GitHub", self.github_url)]
        return [(label, url) for label, url in links if url]


class PrivacySettings(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "PUBLIC", "Public"
        PRIVATE = "PRIVATE", "Private"

    profile = models.OneToOneField(Profile, on_delete=models.CASCADE, related_name="privacy")
    profile_visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    show_social_links = models.BooleanField(default=True)
    show_earnings = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "privacy settings"

    def __str__(self) -> str:
        return f"privacy of {self.profile}"


class WalletSettings(models.Model):
    class Provider(models.TextChoices):
        BKASH = "BKASH", "bKash"
        NAGAD = "NAGAD", "Nagad"
        ROCKET = "ROCKET", "Rocket"

    profile = models.OneToOneField(Profile, on_delete=models.CASCADE, related_name="wallet")
    wallet_provider = models.CharField(max_length=10, choices=Provider.choices, default=Provider.BKASH)
    # Sensitive financial data (seed 000 §4.3): never logged, redacted in audit events.
    account_number = models.CharField(max_length=20, blank=True)
    withdrawals_enabled = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "wallet settings"

    def __str__(self) -> str:
        return f"wallet of {self.profile}"


class GameProfile(models.Model):
    """A player's identity in one game (seed 000's GameProfile), owned by a user profile."""

    # SET_NULL, not CASCADE: a deleted profile leaves its game profiles behind, orphaned, for the data
    # cleanup that the integrity check "orphaned game profiles" (seed 000 §3.2) counts.
    user_profile = models.ForeignKey(Profile, null=True, on_delete=models.SET_NULL, related_name="game_profiles")
    game = models.CharField(max_length=40)
    in_game_name = models.CharField(max_length=80)

    def __str__(self) -> str:
        return f"{self.in_game_name} in {self.game}"
