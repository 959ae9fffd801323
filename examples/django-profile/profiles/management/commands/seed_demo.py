"""`manage.py seed_demo`: an admin (PROFILE_ADMIN_USER / PROFILE_ADMIN_PASSWORD) and three demo profiles.

Idempotent: a second run leaves existing rows as they are (and resets the admin's password to the env's).
"""
import os
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from profiles.models import PrivacySettings, Profile, WalletSettings

DEMO_PROFILES = [
    # username, display name, visibility, show social links, balance, earnings
    ("rahim", "Rahim Uddin", "PUBLIC", True, "1250.00", "8400.00"),
    ("karim", "Karim Ahmed", "PRIVATE", False, "310.50", "990.00"),
    ("nadia", "Nadia Islam", "PUBLIC", False, "0.00", "0.00"),
]


class Command(BaseCommand):
    help = "Creates the admin user (password from PROFILE_ADMIN_PASSWORD) and a few demo profiles."

    def handle(self, *args, **options):
        password = os.environ.get("PROFILE_ADMIN_PASSWORD")
        if not password:
            raise CommandError("PROFILE_ADMIN_PASSWORD: is required (the admin user's password)")
        username = os.environ.get("PROFILE_ADMIN_USER", "admin")
        with transaction.atomic():
            admin = self.ensure_admin(username, password)
            self.ensure_profile(admin, "Site Admin", "PUBLIC", False, "0.00", "0.00")
            User = get_user_model()
            for name, display, visibility, social, balance, earnings in DEMO_PROFILES:
                user, created = User.objects.get_or_create(username=name)
                if created:
                    user.set_unusable_password()
                    user.save()
                self.ensure_profile(user, display, visibility, social, balance, earnings)
        self.stdout.write(f"seeded: admin user {username!r} and profiles {', '.join(p[0] for p in DEMO_PROFILES)}")

    def ensure_admin(self, username: str, password: str):
        User = get_user_model()
        admin, _ = User.objects.get_or_create(username=username, defaults={"is_staff": True, "is_superuser": True})
        admin.is_staff = admin.is_superuser = True
        admin.set_password(password)
        admin.save()
        return admin

    def ensure_profile(self, user, display, visibility, social, balance, earnings) -> Profile:
        profile, created = Profile.objects.get_or_create(
            user=user,
            defaults={
                "display_name": display,
                "bio": f"{display} plays on weekends.",
                "website_url": f"https://example.com/{user.username}",
                "deltacoin_balance": Decimal(balance),
                "lifetime_earnings": Decimal(earnings),
            },
        )
        PrivacySettings.objects.get_or_create(
            profile=profile, defaults={"profile_visibility": visibility, "show_social_links": social}
        )
        WalletSettings.objects.get_or_create(profile=profile, defaults={"account_number": ""})
        return profile
