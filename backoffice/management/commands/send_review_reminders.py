"""E-mail each collaborative's publishers what is overdue a review or due one soon.

    python manage.py send_review_reminders --site-url https://psc.example.nhs.uk

Run it weekly (see the README: cron or the platform's scheduler).
"""

from django.core.management.base import BaseCommand

from backoffice.reminders import send_review_reminders
from core.models import DUE_SOON_DAYS


class Command(BaseCommand):
    help = "E-mail publishers the content overdue a review or due one within --days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=DUE_SOON_DAYS,
            help=f"Also list items due within this many days (default {DUE_SOON_DAYS}).",
        )
        parser.add_argument(
            "--site-url",
            default="http://127.0.0.1:8000",
            help="Address of this site, used in the e-mailed links.",
        )

    def handle(self, *args, **options):
        sent = send_review_reminders(options["site_url"], options["days"])
        for address, count in sent:
            self.stdout.write(f"Sent {address} {count} item(s).")
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} reminder e-mail(s) sent."))
