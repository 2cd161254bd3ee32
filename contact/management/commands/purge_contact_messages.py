"""Delete contact messages older than CONTACT_RETENTION_DAYS. Run it daily (cron, a systemd
timer or the platform's scheduler); see README."""

from django.conf import settings
from django.core.management.base import BaseCommand

from contact.models import ContactMessage


class Command(BaseCommand):
    help = "Delete contact messages older than CONTACT_RETENTION_DAYS (default 90) days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go; delete nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        expired = ContactMessage.objects.expired()
        days = settings.CONTACT_RETENTION_DAYS
        if dry_run:
            self.stdout.write(f"{expired.count()} contact message(s) older than {days} days.")
            return
        deleted, _ = expired.delete()
        self.stdout.write(f"Deleted {deleted} contact message(s) older than {days} days.")
