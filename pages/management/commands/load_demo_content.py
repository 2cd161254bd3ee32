from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.demo import ReferenceDataMissing
from pages.loaders import load_demo_content


class Command(BaseCommand):
    help = (
        "Load demo case studies and resources. Safe to run again: items whose slug already "
        "exists are kept as they are, so staff edits survive."
    )

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                report = load_demo_content()
        except ReferenceDataMissing as error:
            raise CommandError(f"Run load_reference_data first. {error}.") from error
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
