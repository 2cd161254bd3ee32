"""The reference data files and the idempotent `load_reference_data` command."""

import tomllib
from io import StringIO

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from casestudies.models import Theme
from collaboratives.models import ContactDetail, ContactKind, Coverage, Organisation
from programmes.loader import PROGRAMMES_FILE
from programmes.models import CareSetting, Measure, Principle, Programme, Workstream
from resources.models import Topic

pytestmark = pytest.mark.django_db

REFERENCE_MODELS = [
    Organisation,
    ContactDetail,
    Coverage,
    Principle,
    Programme,
    Workstream,
    Measure,
    CareSetting,
    Theme,
    Topic,
]


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_reference_data", *args, stdout=out)
    return out.getvalue()


def dump_rows() -> dict[str, list[dict]]:
    """Every field of every reference row, including many-to-many links and snapshots."""
    dump = {}
    for model in REFERENCE_MODELS:
        rows = []
        for obj in model.objects.order_by("pk"):
            row = model_to_dict(obj)
            row["pk"] = obj.pk
            row["loaded_values"] = getattr(obj, "loaded_values", None)
            row = {
                key: sorted(v.pk for v in value) if isinstance(value, list) else value
                for key, value in row.items()
            }
            rows.append(row)
        dump[model.__name__] = rows
    return dump


@pytest.fixture
def loaded() -> str:
    return load()


def test_it_loads_15_organisations_and_5_programmes_with_workstreams_and_measures(loaded):
    assert Organisation.objects.count() == 15
    assert set(Programme.objects.values_list("slug", flat=True)) == {
        "managing-deterioration",
        "medicines-safety",
        "maternity-and-neonatal",
        "mental-health",
        "adoption-and-spread",
    }
    for programme in Programme.objects.all():
        assert programme.workstreams.exists(), programme
        assert programme.measures.exists(), programme
        assert programme.principles.count() == 4
    assert Principle.objects.count() == 4
    assert CareSetting.objects.filter(slug="care-homes").exists()
    assert Theme.objects.filter(slug="co-design").exists()
    assert Topic.objects.filter(slug="covid-19").exists()
    assert f"{sum(m.objects.count() for m in REFERENCE_MODELS)} created" in loaded


def test_it_keeps_old_names_so_people_who_know_them_find_the_organisation(loaded):
    wessex = Organisation.objects.get(slug="wessex")
    assert wessex.name == "Health Innovation Wessex"
    assert wessex.former_name_list == ["Wessex AHSN"]


def test_loading_twice_leaves_the_same_rows_and_values(loaded):
    before = dump_rows()

    output = load()

    assert dump_rows() == before
    total = sum(len(rows) for rows in before.values())
    assert f"0 created, 0 updated, {total} unchanged" in output
    assert "Kept" not in output


def test_an_administrators_edit_survives_a_reload_and_is_reported(loaded):
    wessex = Organisation.objects.get(slug="wessex")
    wessex.territory = "Hampshire, the Isle of Wight and Dorset (edited by staff)"
    wessex.save()
    measure = Measure.objects.get(key="precept-adoption")
    measure.target = "99 per cent"
    measure.save()

    output = load()

    wessex.refresh_from_db()
    measure.refresh_from_db()
    assert wessex.territory == "Hampshire, the Isle of Wight and Dorset (edited by staff)"
    assert measure.target == "99 per cent"
    assert "0 created, 0 updated" in output
    kept_lines = [line for line in output.splitlines() if line.startswith("Kept")]
    assert len(kept_lines) == 2
    territory_line = next(line for line in kept_lines if "slug=wessex" in line)
    assert "territory" in territory_line
    assert "(edited by staff)" in territory_line
    assert "also included south Wiltshire" in territory_line
    target_line = next(line for line in kept_lines if "key=precept-adoption" in line)
    assert "'99 per cent'" in target_line
    assert "'99%'" in target_line


def test_an_unedited_field_follows_a_change_in_the_file(loaded):
    # As if the file held "Old words" last time and says something else now.
    oxford = Organisation.objects.get(slug="oxford")
    new_territory = oxford.territory
    oxford.territory = "Old words"
    oxford.loaded_values["territory"] = "Old words"
    oxford.save()

    output = load()

    oxford.refresh_from_db()
    assert oxford.territory == new_territory
    assert oxford.loaded_values["territory"] == new_territory
    assert "0 created, 1 updated" in output


def test_an_admin_change_to_programme_principles_is_kept(loaded):
    programme = Programme.objects.get(slug="mental-health")
    programme.principles.remove(Principle.objects.get(slug="safety-culture"))

    output = load()

    assert programme.principles.count() == 3
    assert "Kept administrator's edit: programme [slug=mental-health] · principles" in output


def test_a_renamed_theme_is_left_as_staff_saved_it(loaded):
    Theme.objects.filter(slug="co-design").update(name="Co-production")

    load()

    assert Theme.objects.get(slug="co-design").name == "Co-production"


def test_a_dry_run_writes_nothing():
    output = load("--dry-run")

    assert all(not model.objects.exists() for model in REFERENCE_MODELS)
    assert "Would create organisation [slug=wessex]" in output
    assert "Dry run, nothing written:" in output


def test_a_dry_run_reports_a_pending_update_without_writing_it(loaded):
    oxford = Organisation.objects.get(slug="oxford")
    oxford.territory = "Old words"
    oxford.loaded_values["territory"] = "Old words"
    oxford.save()

    output = load("--dry-run")

    oxford.refresh_from_db()
    assert oxford.territory == "Old words"
    assert "Would update organisation [slug=oxford]: territory" in output
    assert "0 created, 1 updated" in output


def test_the_wessex_email_is_present_and_verified(loaded):
    email = ContactDetail.objects.get(organisation__slug="wessex", kind=ContactKind.EMAIL)
    assert email.value == "enquiries@wessexahsn.net"
    assert email.verified
    assert email.is_current
    assert "leaflet" in email.source


def test_no_organisation_other_than_wessex_has_an_email(loaded):
    with_email = ContactDetail.objects.filter(kind=ContactKind.EMAIL)
    assert set(with_email.values_list("organisation__slug", flat=True)) == {"wessex"}


def test_former_websites_are_marked_not_current(loaded):
    old = ContactDetail.objects.get(organisation__slug="wessex", value="https://wessexahsn.org.uk")
    assert not old.is_current
    current = ContactDetail.objects.get(
        organisation__slug="wessex", value="https://healthinnovationwessex.org.uk"
    )
    assert current.is_current
    assert current.verified


def test_unverified_websites_say_in_plain_words_that_they_are_not_yet_confirmed(loaded):
    unverified = ContactDetail.objects.filter(verified=False)
    assert unverified.exists()
    assert all(detail.source.startswith("Not yet confirmed") for detail in unverified)


def test_every_measure_in_the_data_file_names_its_period_and_source():
    with PROGRAMMES_FILE.open("rb") as handle:
        programmes = tomllib.load(handle)["programmes"]
    measures = [measure for programme in programmes for measure in programme["measures"]]
    assert len(measures) >= 10
    for measure in measures:
        assert measure["period"].strip(), measure["key"]
        assert measure["source"].strip(), measure["key"]


def test_both_conflicting_restrictive_practice_targets_are_kept_with_their_sources(loaded):
    measures = Measure.objects.filter(
        programme__slug="mental-health", workstream__slug="restrictive-practice"
    )
    assert sorted(measures.values_list("target", flat=True)) == ["25%", "50%"]
    assert len(set(measures.values_list("source", flat=True))) == 2


def test_measures_linked_to_a_workstream_belong_to_the_same_programme(loaded):
    for measure in Measure.objects.exclude(workstream=None).select_related("workstream"):
        assert measure.workstream.programme_id == measure.programme_id
