"""manage.py import_postcodes: ONS releases as shipped, column variants, and bad files."""

import datetime
import os
import sqlite3
import subprocess
import sys
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from collaboratives.models import Organisation
from postcodes.models import ICB, AreaKind, AreaShare, ICBMapping, Postcode, PostcodeRelease
from tests.postcode_files import (
    ICB_NAMES,
    LIVE_ROWS,
    NSPL_FEB_2026,
    ONSPD_MAY_2026,
    ONSPD_NOV_2023,
    ROWS,
    build_zip,
    import_postcodes,
    load_reference_and_icbs,
    rewritten,
)
from tests.servers import ROOT

pytestmark = pytest.mark.django_db


def assert_may_2026_is_live():
    release = PostcodeRelease.objects.get(is_current=True)
    assert release.name == "ONS Postcode Directory, May 2026 release"
    assert release.release_date == datetime.date(2026, 5, 1)
    assert (release.rows, release.live_rows) == (ROWS, LIVE_ROWS)
    assert Postcode.objects.count() == ROWS
    southampton = Postcode.objects.get(key="SO166YD")
    assert (southampton.postcode, southampton.district, southampton.sector) == (
        "SO16 6YD",
        "SO16",
        "SO16 6",
    )
    assert southampton.icb_code == "E54000042"
    assert southampton.country_code == "E92000001"
    assert southampton.terminated is None


def test_it_imports_the_onspd_csv_with_retired_postcodes_and_countries():
    output = import_postcodes(ONSPD_MAY_2026, "--quiet")

    assert "Imported the ONS Postcode Directory, May 2026 release: 262 postcodes" in output
    assert_may_2026_is_live()
    retired = Postcode.objects.get(key="SO166ZZ")
    assert retired.terminated == datetime.date(2019, 6, 1)
    assert Postcode.objects.get(key="EH11YZ").country_code == "S92000003"
    assert Postcode.objects.get(key="CF101ZZ").country_code == "W92000004"
    belfast = Postcode.objects.filter(district="BT1").values_list("country_code", flat=True)
    assert set(belfast) == {"N92000002"}
    assert len(PostcodeRelease.objects.get().checksum) == 64


def test_it_imports_the_zip_as_ons_ships_it_and_adds_the_boards_it_names(tmp_path):
    release_zip = build_zip(tmp_path)

    output = import_postcodes(release_zip, "--quiet")

    assert_may_2026_is_live()
    hampshire = ICB.objects.get(code="E54000042")
    assert hampshire.name == "Hampshire and the Isle of Wight"
    assert hampshire.full_name == "NHS Hampshire and the Isle of Wight Integrated Care Board"
    assert hampshire.ods_code == "QRL"
    assert not ICB.objects.filter(code__startswith="W9").exists(), "pseudo codes are not boards"
    assert "New integrated care boards added (unassigned): E54000007" in output


def test_boards_already_known_keep_their_names_and_mappings(tmp_path):
    load_reference_and_icbs()
    before = dict(ICB.objects.values_list("code", "name"))

    output = import_postcodes(build_zip(tmp_path), "--quiet")

    assert dict(ICB.objects.values_list("code", "name")) == before
    assert "New integrated care boards" not in output
    assert "E54000034 (Frimley)" in output.split("no collaborative assigned today")[1]


def test_a_multi_csv_release_is_read_part_by_part(tmp_path):
    import_postcodes(build_zip(tmp_path, multi_csv=True), "--quiet")

    assert_may_2026_is_live()


def test_an_unzipped_release_folder_is_read_too(tmp_path):
    folder = tmp_path / "ONSPD_MAY_2026_UK"
    with zipfile.ZipFile(build_zip(tmp_path)) as archive:
        archive.extractall(folder)

    import_postcodes(folder, "--quiet")

    assert_may_2026_is_live()


def test_the_nspl_layout_is_read_by_column_name():
    output = import_postcodes(NSPL_FEB_2026, "--quiet")

    assert "National Statistics Postcode Lookup, February 2026 release" in output
    assert Postcode.objects.count() == ROWS
    assert Postcode.objects.get(key="SO166YD").icb_code == "E54000042"


def test_an_older_layout_with_padded_postcodes_and_an_icb23cd_column_is_read():
    import_postcodes(ONSPD_NOV_2023, "--quiet")

    manchester = Postcode.objects.get(key="M11AE")
    assert (manchester.postcode, manchester.district, manchester.sector) == ("M1 1AE", "M1", "M1 1")
    assert manchester.icb_code == "E54000007"
    assert Postcode.objects.get(key="SO166ZZ").terminated == datetime.date(2019, 6, 1)


def test_live_postcodes_are_counted_per_area_district_and_sector():
    import_postcodes(ONSPD_MAY_2026, "--quiet")

    def counts(kind, area):
        return dict(
            AreaShare.objects.filter(kind=kind, area=area).values_list("icb_code", "postcodes")
        )

    assert counts(AreaKind.DISTRICT, "SP5") == {"E54000040": 24, "E54000042": 8}
    assert counts(AreaKind.SECTOR, "SP5 2") == {"E54000040": 4, "E54000042": 8}
    assert counts(AreaKind.DISTRICT, "DL6") == {"E54000050": 10, "E54000051": 30}
    assert counts(AreaKind.AREA, "SO") == {"E54000042": 66}
    assert counts(AreaKind.DISTRICT, "SY10") == {"E54000011": 10, "W99999999": 6}


def test_progress_is_reported_every_n_rows_unless_quiet():
    output = import_postcodes(ONSPD_MAY_2026, "--progress-every", "100", "--force")

    assert "Importing ONSPD_MAY_2026_UK.csv" in output
    assert "  100 rows read" in output and "  200 rows read" in output
    quiet = import_postcodes(ONSPD_MAY_2026, "--quiet", "--force")
    assert "rows read" not in quiet


def test_importing_the_same_file_again_changes_nothing_and_says_so():
    import_postcodes(ONSPD_MAY_2026, "--quiet")
    first = PostcodeRelease.objects.get()

    output = import_postcodes(ONSPD_MAY_2026, "--quiet")

    assert "Already loaded" in output and "Nothing changed" in output
    assert list(PostcodeRelease.objects.all()) == [first]
    assert PostcodeRelease.objects.get().imported_at == first.imported_at


def test_a_newer_release_replaces_the_live_directory(tmp_path):
    load_reference_and_icbs()
    import_postcodes(ONSPD_MAY_2026, "--quiet")
    august = rewritten(
        ONSPD_MAY_2026,
        tmp_path / "ONSPD_AUG_2026_UK.csv",
        {"E54000042": "E54000067", "SO16 6YD": "SO16 6YA", "SO166YD": "SO166YA"},
    )

    output = import_postcodes(august, "--quiet")

    current = PostcodeRelease.objects.get(is_current=True)
    assert current.name == "ONS Postcode Directory, August 2026 release"
    assert PostcodeRelease.objects.count() == 2
    assert not Postcode.objects.filter(key="SO166YD").exists()
    assert Postcode.objects.get(key="SO166YA").icb_code == "E54000067"
    assert not AreaShare.objects.filter(icb_code="E54000042").exists()
    assert "E54000067" in output.split("no collaborative assigned today")[1]


def test_an_older_release_than_the_live_one_needs_force(tmp_path):
    import_postcodes(ONSPD_MAY_2026, "--quiet")

    with pytest.raises(CommandError, match="older than the ONS Postcode Directory, May 2026"):
        import_postcodes(ONSPD_NOV_2023, "--quiet")
    assert_may_2026_is_live()

    import_postcodes(ONSPD_NOV_2023, "--quiet", "--force")
    assert PostcodeRelease.objects.get(is_current=True).release_date == datetime.date(2023, 11, 1)


def test_a_file_name_without_a_release_month_needs_one(tmp_path):
    unnamed = rewritten(ONSPD_MAY_2026, tmp_path / "postcodes.csv", {})

    with pytest.raises(CommandError, match="--release-date"):
        import_postcodes(unnamed, "--quiet")
    import_postcodes(unnamed, "--quiet", "--release-date", "2026-05")

    assert PostcodeRelease.objects.get().name == "ONS postcode directory, May 2026 release"


def _wrong_columns(folder):
    path = folder / "ONSPD_AUG_2026_UK.csv"
    path.write_text("postcode_thing,region\r\nSO16 6YD,E12000008\r\n")
    return path


def _not_a_csv(folder):
    path = folder / "ONSPD_AUG_2026_UK.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    return path


def _truncated_zip(folder):
    whole = build_zip(folder, name="ONSPD_AUG_2026_UK")
    data = whole.read_bytes()
    whole.write_bytes(data[: len(data) // 2])
    return whole


def _damaged_zip_member(folder):
    whole = build_zip(folder, name="ONSPD_AUG_2026_UK")
    data = bytearray(whole.read_bytes())
    middle = data.index(b"Data/ONSPD_AUG_2026_UK.csv") + 2_000
    data[middle : middle + 50] = b"\x00" * 50
    whole.write_bytes(bytes(data))
    return whole


def _truncated_csv(folder):
    text = ONSPD_MAY_2026.read_text()
    path = folder / "ONSPD_AUG_2026_UK.csv"
    path.write_text(text[: len(text) * 2 // 3], newline="")
    return path


def _short_row(folder):
    lines = ONSPD_MAY_2026.read_text().splitlines()
    lines[40] = ",".join(lines[40].split(",")[:20])
    path = folder / "ONSPD_AUG_2026_UK.csv"
    path.write_text("\r\n".join(lines) + "\r\n", newline="")
    return path


def _empty(folder):
    path = folder / "ONSPD_AUG_2026_UK.csv"
    path.write_text("")
    return path


def _header_only(folder):
    path = folder / "ONSPD_AUG_2026_UK.csv"
    path.write_text(ONSPD_MAY_2026.read_text().splitlines()[0] + "\r\n")
    return path


def _duplicate_postcode(folder):
    lines = ONSPD_MAY_2026.read_text().splitlines()
    path = folder / "ONSPD_AUG_2026_UK.csv"
    path.write_text("\r\n".join([*lines, lines[5]]) + "\r\n", newline="")
    return path


def _zip_without_data(folder):
    path = folder / "ONSPD_AUG_2026_UK.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(ICB_NAMES, f"Documents/{ICB_NAMES.name}")
        archive.writestr("Documents/other lookup.csv", "A,B\r\n1,2\r\n")
    return path


@pytest.mark.parametrize(
    ("make_file", "message"),
    [
        (_wrong_columns, "does not have the columns of an ONS postcode directory"),
        (_not_a_csv, "is not a text CSV file"),
        (_truncated_zip, "is not a complete zip file"),
        (_damaged_zip_member, "damaged inside the zip"),
        (_truncated_csv, "looks cut short or damaged"),
        (_short_row, "line 41: 20 values where the header has 53"),
        (_empty, "is empty"),
        (_header_only, "holds no postcodes"),
        (_duplicate_postcode, "lists a postcode twice"),
        (_zip_without_data, "Cannot find the postcode data"),
    ],
)
def test_a_bad_file_stops_with_a_clear_message_and_leaves_the_live_data_alone(
    tmp_path, make_file, message
):
    import_postcodes(ONSPD_MAY_2026, "--quiet")

    with pytest.raises(CommandError, match=message) as raised:
        import_postcodes(make_file(tmp_path), "--quiet")

    assert "The postcode directory in use is unchanged" in str(raised.value)
    assert_may_2026_is_live()
    assert PostcodeRelease.objects.count() == 1
    assert AreaShare.objects.filter(kind=AreaKind.DISTRICT, area="SP5").count() == 2


def test_a_missing_file_is_named():
    with pytest.raises(CommandError, match="No file at"):
        import_postcodes(ONSPD_MAY_2026.with_name("ONSPD_MAY_2099_UK.csv"))


def _index_names():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s ORDER BY indexname",
            [Postcode._meta.db_table],
        )
        return [row[0] for row in cursor.fetchall()]


def test_the_swapped_table_keeps_the_index_names_the_migrations_made():
    before = _index_names()

    import_postcodes(ONSPD_MAY_2026, "--quiet")
    import_postcodes(ONSPD_MAY_2026, "--quiet", "--force")

    assert _index_names() == before
    assert "postcode_district_idx" in before and "postcode_sector_idx" in before
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN SELECT * FROM postcodes_postcode WHERE key = 'SO166YD'")
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "Index Scan using postcodes_postcode_" in plan


def test_the_import_also_works_on_sqlite_for_the_quick_start(tmp_path):
    database = tmp_path / "quick.sqlite3"
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "psc_portal.settings",
    }

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    assert manage("migrate", "--noinput").returncode == 0
    release_zip = build_zip(tmp_path)
    first = manage("import_postcodes", str(release_zip), "--quiet")
    again = manage("import_postcodes", str(release_zip), "--quiet")
    bad = manage("import_postcodes", str(_short_row(tmp_path)), "--quiet")

    assert first.returncode == 0, first.stderr
    assert "262 postcodes" in first.stdout
    assert "Already loaded" in again.stdout
    assert bad.returncode != 0 and "line 41" in bad.stderr
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM postcodes_postcode").fetchone() == (ROWS,)
        assert db.execute(
            "SELECT postcode, icb_code FROM postcodes_postcode WHERE key = 'SO166YD'"
        ).fetchone() == ("SO16 6YD", "E54000042")
        assert db.execute("SELECT count(*) FROM postcodes_areashare").fetchone()[0] > 0


# --- Seeding the boards ------------------------------------------------------------------------


def load_icbs_command() -> str:
    out = StringIO()
    call_command("load_icbs", stdout=out)
    return out.getvalue()


def test_load_icbs_seeds_the_boards_once_and_keeps_administrators_edits():
    # load_reference_data seeds the boards too (after the organisations they map to).
    call_command("load_reference_data", stdout=StringIO())
    assert ICB.objects.count() == 38
    assert ICBMapping.objects.count() == 38
    ICB.objects.all().delete()

    first = load_icbs_command()
    dorset = ICB.objects.get(code="E54000041")
    dorset.name = "Dorset (renamed by an administrator)"
    dorset.save()
    ICBMapping.objects.filter(icb=dorset).update(
        organisation=Organisation.objects.get(slug="south-west")
    )
    again = load_icbs_command()

    assert "38 created, 38 mapping rows created" in first
    assert "0 created, 0 mapping rows created" in again
    dorset.refresh_from_db()
    assert dorset.name == "Dorset (renamed by an administrator)"
    assert dorset.mappings.get().organisation.slug == "south-west"
    frimley = ICBMapping.objects.get(icb__code="E54000034")
    assert frimley.organisation is None
    assert "Split between collaboratives" in frimley.note and "[" not in frimley.note


def test_boards_loaded_before_the_organisations_are_mapped_on_the_next_run():
    waiting = load_icbs_command()
    call_command("load_reference_data", stdout=StringIO())
    later = load_icbs_command()

    assert "not mapped yet because their organisation is missing" in waiting
    assert ICBMapping.objects.filter(organisation__isnull=False).count() == 35
    # load_reference_data ran load_icbs after the organisations, so nothing is left to map.
    assert "0 created, 0 mapping rows created" in later
