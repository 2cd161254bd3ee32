"""The back-office side of the postcode directory: boards and their mappings with history, the
imported releases, and the bulk lookup of a CSV file of postcodes."""

import csv
import io
import time

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from collaboratives.models import Organisation
from postcodes.loader import load_icbs
from postcodes.models import ICB, ICBMapping
from tests.postcode_files import ONSPD_MAY_2026, import_postcodes
from tests.staff import make_staff, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("directory")]

BULK = "/admin/postcodes/postcode/lookup-file/"


@pytest.fixture(scope="module")
def directory(reference_site, django_db_blocker):
    with django_db_blocker.unblock():
        load_icbs()
        import_postcodes(ONSPD_MAY_2026, "--quiet")
    yield


def fixture_postcodes(district: str, live: bool = True) -> list[str]:
    rows = (line.split(",") for line in ONSPD_MAY_2026.read_text().splitlines()[1:])
    return [row[2] for row in rows if row[2].split()[0] == district and (not row[4]) == live]


def upload(client, content, name="postcodes.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(BULK, {"file": SimpleUploadedFile(name, data, "text/csv")})


def rows_of(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


# --- Permission ladder ---------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(BULK)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_staff_without_the_postcode_view_permission_are_refused(client):
    sign_in(client, make_staff("editor@example.org", role="Editor"))

    assert client.get(BULK).status_code == 403


def test_staff_with_the_postcode_view_permission_may_use_it(client):
    user = make_staff("analyst@example.org", role="Editor")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="postcodes", codename="view_postcode")
    )
    sign_in(client, user)

    response = client.get(BULK)
    assert response.status_code == 200
    assert "ONS Postcode Directory, May 2026 release" in response.content.decode()
    assert rows_of(upload(client, "postcode\nSO16 6YD\n"))[0]["status"] == "found"


# --- The bulk lookup -------------------------------------------------------------------------


def test_every_row_comes_back_with_its_collaborative_board_and_status(admin_client):
    frimley = fixture_postcodes("GU14")[0]
    content = "\n".join(
        [
            "ref,Postcode,notes",
            "1,so166yd,a",
            "2,SO16 6ZZ,retired",
            "3,EH1 1YZ,Scotland",
            f"4,{frimley},Frimley",
            "5,not a postcode,",
            "6,,blank",
            "7,ZZ99 9ZZ,unknown",
            '8,"SP5 2ZZ","quoted, with a comma"',
        ]
    )

    rows = rows_of(upload(admin_client, content))

    assert [row["ref"] for row in rows] == [str(n) for n in range(1, 9)]
    assert list(rows[0]) == ["ref", "Postcode", "notes", "organisation", "icb_code", "icb_name",
                             "status"]  # fmt: skip
    by_ref = {row["ref"]: row for row in rows}
    assert by_ref["1"]["organisation"] == "Health Innovation Wessex"
    assert by_ref["1"]["icb_code"] == "E54000042"
    assert by_ref["1"]["icb_name"] == "NHS Hampshire and the Isle of Wight Integrated Care Board"
    assert by_ref["1"]["status"] == "found"
    assert by_ref["2"]["status"] == "retired 2019-06; found"
    assert (by_ref["3"]["organisation"], by_ref["3"]["status"]) == (
        "",
        "outside England (Scotland)",
    )
    assert by_ref["4"]["organisation"] == "Health Innovation Wessex"
    assert by_ref["4"]["status"].startswith("found by postcode area")
    assert by_ref["5"]["status"] == "not a postcode"
    assert by_ref["6"]["status"] == "empty"
    assert by_ref["7"]["status"] == "not in the postcode directory"
    assert by_ref["8"]["notes"] == "quoted, with a comma"


def test_the_postcode_column_is_found_by_name_or_else_the_first_column(admin_client):
    named = rows_of(upload(admin_client, "name,pcds\nclinic,SP5 1ZZ\n"))
    first = rows_of(upload(admin_client, "where,what\nDL6 1AB,x\n"))
    headless = rows_of(upload(admin_client, "SO16 6YD\nEH1 1YZ\n"))

    assert named[0]["status"].startswith("retired")
    assert first[0]["where"] == "DL6 1AB"
    assert [row["postcode"] for row in headless] == ["SO16 6YD", "EH1 1YZ"]
    assert [row["status"] for row in headless] == ["found", "outside England (Scotland)"]


def test_ten_thousand_postcodes_take_seconds_and_a_few_queries(
    admin_client, django_assert_max_num_queries
):
    known = fixture_postcodes("SO16") + fixture_postcodes("SP5") + fixture_postcodes("DL6")
    values = [known[n % len(known)] if n % 3 else f"SO16 {n % 10}Q{chr(65 + n % 26)}"
              for n in range(10_000)]  # fmt: skip
    content = "postcode\n" + "\n".join(values)

    started = time.monotonic()
    with django_assert_max_num_queries(25):
        rows = rows_of(upload(admin_client, content))
    elapsed = time.monotonic() - started

    assert len(rows) == 10_000
    assert [row["postcode"] for row in rows] == values
    assert elapsed < 10


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00binary", "postcodes.csv", "not a CSV"),
        (b"postcode\nSO16 6YD\n", "postcodes.xlsx", "Upload a CSV file"),
        (b"", "postcodes.csv", "empty"),
        (b"postcode\n" + b"SO16 6YD\n" * 700_000, "postcodes.csv", "larger than 5 MB"),
    ],
)
def test_an_upload_that_is_not_a_usable_csv_is_refused_with_a_message(
    admin_client, content, name, message
):
    response = upload(admin_client, content, name)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


# --- Boards, mappings and releases in the admin ------------------------------------------------


def test_the_board_list_shows_who_covers_each_board_today(
    admin_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        response = admin_client.get("/admin/postcodes/icb/")

    text = response.content.decode()
    assert response.status_code == 200
    assert "Frimley" in text and "Unassigned" in text
    assert "E54000042" in text


def test_an_administrator_edits_a_mapping_and_the_change_is_kept_in_history(admin_client):
    mapping = ICBMapping.objects.get(icb__code="E54000034")
    kss = Organisation.objects.get(slug="kss")
    url = f"/admin/postcodes/icbmapping/{mapping.pk}/change/"

    response = admin_client.post(
        url,
        {"icb": mapping.icb_id, "organisation": kss.pk, "valid_from": "2026-07-01",
         "valid_to": "", "note": "Agreed by the three collaboratives."},
    )  # fmt: skip

    assert response.status_code == 302, response.content.decode()[:2000]
    mapping.refresh_from_db()
    assert mapping.organisation == kss
    assert mapping.history.count() == 2
    history = admin_client.get(f"{url.removesuffix('change/')}history/")
    assert history.status_code == 200
    assert ICB.objects.get(code="E54000034").history.exists()


def test_the_release_list_and_the_directory_search_work(admin_client):
    releases = admin_client.get("/admin/postcodes/postcoderelease/")
    found = admin_client.get("/admin/postcodes/postcode/", {"q": "so16 6yd"})

    assert "ONS Postcode Directory, May 2026 release" in releases.content.decode()
    assert "SO16 6YD" in found.content.decode()
    assert "Look up a file of postcodes" in found.content.decode()
