from django.core.management.base import BaseCommand

from postcodes.loader import load_icbs


class Command(BaseCommand):
    help = (
        "Create the integrated care boards and their mapping to collaboratives from "
        "postcodes/data/icbs.toml. Run after load_reference_data. Safe to run repeatedly: "
        "existing boards and mapping rows are left as administrators made them."
    )

    def handle(self, *args, **options):
        report = load_icbs()
        style = self.style.WARNING if report.waiting else self.style.SUCCESS
        self.stdout.write(style(report.summary()))
