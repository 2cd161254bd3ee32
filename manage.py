#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psc_portal.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        # Read the settings first: Django's command runner would otherwise swallow their
        # refusal and fail later with an unrelated "apps aren't loaded yet".
        settings.INSTALLED_APPS  # noqa: B018
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # Settings refuse unsafe or missing values; say which in one line, not a traceback.
        sys.exit(f"Configuration error: {error} (for local development set DEBUG=true)")


if __name__ == "__main__":
    main()
