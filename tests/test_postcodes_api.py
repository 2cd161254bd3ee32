"""GET /api/lookup?q=… and its OpenAPI document."""

import pytest

from postcodes.loader import load_icbs
from tests.postcode_files import ONSPD_MAY_2026, import_postcodes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("directory")]

API = "/api/lookup"


@pytest.fixture(scope="module")
def directory(reference_site, django_db_blocker):
    with django_db_blocker.unblock():
        load_icbs()
        import_postcodes(ONSPD_MAY_2026, "--quiet")
    yield


def get(client, **params):
    response = client.get(API, params)
    assert response["Content-Type"].startswith("application/json")
    return response, response.json()


def test_a_postcode_returns_its_collaborative_board_and_data_release(client):
    response, body = get(client, q="so16 6yd")

    assert response.status_code == 200
    assert (body["kind"], body["matched"], body["found"]) == ("postcode", "SO16 6YD", True)
    [wessex] = body["organisations"]
    assert wessex["slug"] == "wessex"
    assert wessex["name"] == "Health Innovation Wessex"
    assert wessex["psc_name"] == "Wessex Patient Safety Collaborative"
    assert wessex["url"] == "http://testserver/collaboratives/wessex/"
    assert wessex["contact_url"] == "https://healthinnovationwessex.org.uk"
    assert body["icb"] == {
        "code": "E54000042",
        "ods_code": "QRL",
        "name": "NHS Hampshire and the Isle of Wight Integrated Care Board",
    }
    assert body["data"]["release"] == {
        "name": "ONS Postcode Directory, May 2026 release",
        "date": "2026-05-01",
        "imported_at": body["data"]["release"]["imported_at"],
    }
    assert body["message"] is None


def test_a_district_returns_every_organisation_with_its_share(client):
    _, body = get(client, q="SP5")

    assert body["kind"] == "district"
    assert [(o["slug"], o["share"], o["postcodes"]) for o in body["organisations"]] == [
        ("west-of-england", 0.75, 24),
        ("wessex", 0.25, 8),
    ]
    assert [share["organisation"] for share in body["shares"]] == ["west-of-england", "wessex"]


def test_a_district_across_the_border_reports_the_other_country(client):
    _, body = get(client, q="SY10")

    assert body["shares"][1] == {
        "organisation": None,
        "icb_code": None,
        "country": "Wales",
        "postcodes": 6,
        "share": 0.375,
    }


def test_a_retired_postcode_says_when(client):
    _, body = get(client, q="SO16 6ZZ")

    assert (body["kind"], body["terminated"]) == ("terminated", "2019-06")
    assert [o["slug"] for o in body["organisations"]] == ["wessex"]


def test_outside_england_and_not_found_are_answers_not_errors(client):
    response, scotland = get(client, q="EH1 1YZ")
    assert response.status_code == 200
    assert (scotland["kind"], scotland["country"], scotland["found"]) == (
        "outside_england",
        "Scotland",
        False,
    )
    assert "cover England only" in scotland["message"]

    _, nowhere = get(client, q="qwertyuiop")
    assert (nowhere["kind"], nowhere["organisations"]) == ("not_found", [])


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Give the postcode"),
        ({"q": ""}, "q is empty"),
        ({"q": "   "}, "q is empty"),
        ({"q": "x" * 101}, "100 characters or fewer"),
        ({"q": "x" * 10_000}, "100 characters or fewer"),
        ({"q": "SO16\x006YD"}, "NUL"),
    ],
)
def test_bad_requests_get_a_400_with_a_json_error(client, params, message):
    response, body = get(client, **params)

    assert response.status_code == 400
    assert list(body) == ["error"]
    assert message in body["error"]


def test_the_answer_needs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, settings
):
    # The API's rate limit counts in the cache; in memory here so only the lookup is counted.
    memory = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    settings.CACHES = {"default": memory, "pages": {**memory, "LOCATION": "pages"}}
    for query in ("SO16 6YD", "SP5", "GU14", "Southampton"):
        with django_assert_max_num_queries(6):
            assert client.get(API, {"q": query}).status_code == 200


def test_the_openapi_document_describes_the_endpoint(client):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"] == "3.1.0"
    operation = spec["paths"]["/api/lookup"]["get"]
    assert [parameter["name"] for parameter in operation["parameters"]] == ["q"]
    assert {"200", "400"} <= set(operation["responses"])
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    schemas = spec["components"]["schemas"]
    schema = schemas[ref.rsplit("/", 1)[-1]]
    _, body = get(client, q="SP5")
    assert set(body) <= set(schema["properties"])
    assert set(body["organisations"][0]) <= set(schemas["LookupOrganisation"]["properties"])
