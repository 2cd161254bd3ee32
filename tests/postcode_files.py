"""The postcode directory fixtures (tests/data/onspd/, synthetic rows in the ONS format) and
helpers that package them the way ONS ships a release."""

import zipfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from postcodes.loader import load_icbs

DATA = Path(__file__).resolve().parent / "data" / "onspd"
ONSPD_MAY_2026 = DATA / "ONSPD_MAY_2026_UK.csv"
NSPL_FEB_2026 = DATA / "NSPL21_FEB_2026_UK.csv"
ONSPD_NOV_2023 = DATA / "ONSPD_NOV_2023_UK.csv"
ICB_NAMES = DATA / "ICB names and codes UK as at 04_23.csv"

ROWS = 262  # postcodes in each fixture, retired ones included
LIVE_ROWS = 258


def load_reference_and_icbs() -> None:
    """The 15 organisations and their coverage, then the ICBs mapped to them."""
    call_command("load_reference_data", stdout=StringIO())
    load_icbs()


def import_postcodes(path: Path, *options: str) -> str:
    """Run the import command; returns what it printed."""
    out = StringIO()
    call_command("import_postcodes", str(path), *options, stdout=out)
    return out.getvalue()


def build_zip(
    folder: Path,
    data: Path = ONSPD_MAY_2026,
    name: str | None = None,
    multi_csv: bool = False,
    icb_names: Path | None = ICB_NAMES,
) -> Path:
    """A release zip as ONS ships it: Data/<csv>, Documents/<lookups>, a user guide."""
    stem = name or data.stem
    target = folder / f"{stem}.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if multi_csv:
            header, *rows = data.read_text().splitlines(keepends=True)
            parts: dict[str, list[str]] = {}
            for row in rows:
                area = "".join(ch for ch in row.split(",", 1)[0] if ch.isalpha())[:2]
                parts.setdefault(area, []).append(row)
            for area, lines in sorted(parts.items()):
                archive.writestr(f"Data/multi_csv/{stem}_{area}.csv", header + "".join(lines))
        else:
            archive.write(data, f"Data/{stem}.csv")
        if icb_names:
            archive.write(icb_names, f"Documents/{icb_names.name}")
        archive.writestr(
            "Documents/LA_UA names and codes UK as at 04_23.csv",
            "LAD23CD,LAD23NM\r\nE06000045,Southampton\r\n",
        )
        archive.writestr(f"User Guide/{stem} User Guide.pdf", b"%PDF-1.4 not a real guide")
    return target


def rewritten(source: Path, target: Path, replacements: dict[str, str]) -> Path:
    """A copy of a fixture with some text replaced, e.g. a board's code in a later release."""
    text = source.read_text()
    for old, new in replacements.items():
        text = text.replace(old, new)
    target.write_text(text, newline="")
    return target
