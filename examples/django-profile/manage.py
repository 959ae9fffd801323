#!/usr/bin/python3
"""Django's command-line utility for the example profile site (run it with Debian's /usr/bin/python3)."""
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "profile_site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
