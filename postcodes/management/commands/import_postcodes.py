import datetime
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from postcodes.importer import PostcodeImportError, import_release


def _year_month(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError as error:
        raise CommandError(f"--release-date must look like 2026-05, not {value!r}.") from error


class Command(BaseCommand):
    help = (
        "Import an ONS Postcode Directory (ONSPD) or National Statistics Postcode Lookup (NSPL) "
        "release: the zip as ONS ships it, its unzipped folder, or the data CSV alone. The "
        "live lookup switches to the new release in one step; a bad file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="e.g. ONSPD_MAY_2026_UK.zip or Data/ONSPD_MAY_2026_UK.csv")
        parser.add_argument(
            "--release-date",
            type=_year_month,
            help="The release month (2026-05) when the file name does not say it.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Import even if this file is already loaded or older than the loaded release.",
        )
        parser.add_argument(
            "--progress-every",
            type=int,
            default=250_000,
            metavar="N",
            help="Report progress every N rows (default 250,000).",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress lines.")

    def handle(self, *args, file, release_date, force, progress_every, quiet, **options):
        started = time.monotonic()

        def progress(rows: int) -> None:
            elapsed = time.monotonic() - started
            self.stdout.write(f"  {rows:,} rows read ({rows / max(elapsed, 0.001):,.0f} a second)")

        if not quiet:
            self.stdout.write(f"Importing {Path(file).name}…")
        try:
            result = import_release(
                Path(file),
                release_date=release_date,
                force=force,
                progress=None if quiet else progress,
                every=max(progress_every, 1),
            )
        except PostcodeImportError as error:
            raise CommandError(f"{error} The postcode directory in use is unchanged.") from error
        release = result.release
        if result.unchanged:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Already loaded: this file is the {release.name} imported on "
                    f"{release.imported_at:%d %B %Y}. Nothing changed."
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported the {release.name}: {release.rows:,} postcodes "
                f"({release.live_rows:,} in use) in {release.seconds:.1f} s."
            )
        )
        if result.skipped:
            self.stdout.write(
                self.style.WARNING(f"Skipped {result.skipped:,} rows without a valid postcode.")
            )
        if result.icb_codes_created:
            self.stdout.write(
                f"New integrated care boards added (unassigned): "
                f"{', '.join(result.icb_codes_created)}."
            )
        if result.unmapped_icbs:
            self.stdout.write(
                self.style.WARNING(
                    "Boards with no collaborative assigned today (their postcodes are answered "
                    "from the coverage rows): " + ", ".join(result.unmapped_icbs) + "."
                )
            )
