from django.db import models


class UserProfile(models.Model):
    display_name = models.CharField(max_length=100)
    real_name = models.CharField(max_length=100, blank=True)  # KYC: configured as sensitive
    api_token = models.CharField(max_length=100, blank=True)  # a secret by its name
    profile_visibility = models.CharField(max_length=10, default="PUBLIC")
    show_social_links = models.BooleanField(default=False)
    deltacoin_balance = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    lifetime_earnings = models.DecimalField(max_digits=12, decimal_places=2, default=0)

    class Meta:
        app_label = "profiles"
