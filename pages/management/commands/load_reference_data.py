from django.core.management.base import BaseCommand

from pages.loaders import load_reference_data


class Command(BaseCommand):
    help = (
        "Create or refresh the organisations, coverage, programmes, care settings, themes and "
        "topics from the TOML files in each app's data/ folder. Safe to run repeatedly: fields "
        "an administrator has edited are kept and reported, and nothing is deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would change without writing to the database.",
        )

    def handle(self, *args, dry_run: bool = False, verbosity: int = 1, **options):
        report = load_reference_data(dry_run=dry_run)
        if dry_run or verbosity >= 2:
            for line in report.changes:
                self.stdout.write(f"{'Would ' + line[0].lower() + line[1:] if dry_run else line}")
        for kept in report.kept:
            self.stdout.write(self.style.WARNING(str(kept)))
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}{report.summary()}"))
