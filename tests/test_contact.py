"""The contact form: routing to the right collaborative, the e-mail, retention, abuse limits,
scoping in the admin and bad input."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from collaboratives.models import ContactDetail, ContactKind
from contact import views
from contact.models import ContactMessage, RoutedBy
from core.roles import EDITOR
from tests.factories import CaseStudyFactory, CoverageFactory, OrganisationFactory, ProgrammeFactory
from tests.html_helpers import parse
from tests.staff import make_staff, sign_in

pytestmark = pytest.mark.django_db

URL = "/contact/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the rate limit counts in the cache


@pytest.fixture
def home(settings):
    home = OrganisationFactory(slug="wessex", name="Health Innovation Wessex", acronym="Wessex")
    settings.HOME_COLLABORATIVE = "wessex"
    ContactDetail.objects.create(
        organisation=home, kind=ContactKind.EMAIL, value="enquiries@wessex.example"
    )
    return home


@pytest.fixture
def oxford():
    oxford = OrganisationFactory(slug="oxford", name="Health Innovation Oxford", acronym="Oxford")
    ContactDetail.objects.create(
        organisation=oxford, kind=ContactKind.EMAIL, value="old@oxford.example", is_current=False
    )
    ContactDetail.objects.create(
        organisation=oxford, kind=ContactKind.EMAIL, value="psc@oxford.example"
    )
    CoverageFactory(organisation=oxford, value="OX")
    return oxford


def form_data(**overrides) -> dict:
    data = {
        "name": "Sam Patel",
        "email": "sam@example.org",
        "their_organisation": "A care home",
        "their_role": "Manager",
        "subject": "general",
        "collaborative": "",
        "place": "",
        "message": "We would like to join the RESTORE2 training.",
        "website": "",
    }
    data.update(overrides)
    return data


def test_the_form_page_renders_with_one_heading_and_sets_only_the_csrf_cookie(client, home):
    response = client.get(URL)
    assert response.status_code == 200
    assert parse(response.content.decode()).h1s == ["Contact us"]
    assert set(response.cookies) == {"__Host-csrftoken"} or set(response.cookies) == {"csrftoken"}
    assert "no-store" in response["Cache-Control"]


def test_other_public_pages_still_set_no_cookies(client, home):
    for url in ("/", "/events/", "/privacy/", "/contact/sent/"):
        assert not client.get(url).cookies, url


def test_a_message_goes_to_the_chosen_collaborative_by_email(client, home, oxford):
    response = client.post(URL, form_data(collaborative="oxford"))
    assert response.status_code == 302
    assert response["Location"] == "/contact/sent/?to=oxford"
    [email] = mail.outbox
    assert email.to == ["psc@oxford.example"]
    assert email.reply_to == ["sam@example.org"]
    assert email.subject == "Contact form: A general question – Sam Patel"
    assert "We would like to join the RESTORE2 training." in email.body
    message = ContactMessage.objects.get()
    assert message.organisation == oxford
    assert message.routed_by == RoutedBy.CHOICE
    assert message.sent_to == "psc@oxford.example"
    ack = client.get(response["Location"]).content.decode()
    assert "Your message is with Health Innovation Oxford" in ack


def test_a_postcode_finds_the_collaborative(client, home, oxford):
    client.post(URL, form_data(place="ox1 2jd"))
    message = ContactMessage.objects.get()
    assert message.organisation == oxford
    assert message.routed_by == RoutedBy.PLACE
    assert message.place_given == "ox1 2jd"
    assert mail.outbox[0].to == ["psc@oxford.example"]


def test_an_unknown_place_asks_again_with_a_clear_message(client, home, oxford):
    response = client.post(URL, form_data(place="Atlantis"))
    assert response.status_code == 400
    assert "We could not find a collaborative for “Atlantis”" in response.content.decode()
    assert not ContactMessage.objects.exists()


def test_without_a_choice_the_home_collaborative_receives_it(client, home, oxford):
    client.post(URL, form_data())
    assert ContactMessage.objects.get().organisation == home
    assert mail.outbox[0].to == ["enquiries@wessex.example"]


def test_a_collaborative_without_an_address_is_sent_via_the_home_collaborative(client, home):
    OrganisationFactory(slug="kss", name="Health Innovation KSS")
    client.post(URL, form_data(collaborative="kss"))
    message = ContactMessage.objects.get()
    assert message.organisation.slug == "kss"  # its staff see it in the admin
    assert mail.outbox[0].to == ["enquiries@wessex.example"]


def test_with_no_address_anywhere_the_message_is_kept_and_nothing_is_sent(client, settings):
    OrganisationFactory(slug="wessex")
    settings.HOME_COLLABORATIVE = "wessex"
    response = client.post(URL, form_data())
    assert response.status_code == 302
    assert mail.outbox == []
    assert ContactMessage.objects.get().sent_to == ""


def test_a_case_study_message_goes_to_the_collaborative_that_wrote_it(client, home, oxford):
    case_study = CaseStudyFactory(organisation=oxford, title="Magnesium sulphate")
    link = client.get(f"{URL}?case_study={case_study.slug}").content.decode()
    assert f'value="{case_study.slug}"' in link
    client.post(URL, form_data(subject="case_study", case_study=case_study.slug))
    message = ContactMessage.objects.get()
    assert message.case_study == case_study
    assert message.organisation == oxford
    assert message.routed_by == RoutedBy.CASE_STUDY


def test_a_programme_question_names_the_programme(client, home):
    ProgrammeFactory(slug="medicines-safety", name="Medicines safety")
    response = client.post(URL, form_data(subject="programme"))
    assert response.status_code == 400
    assert "Select the programme your message is about" in response.content.decode()
    client.post(URL, form_data(subject="programme", programme="medicines-safety"))
    assert "Programme: Medicines safety" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"name": "", "email": "", "message": ""}, "Enter your name"),
        ({"email": "not-an-address"}, "Enter an email address in the correct format"),
        ({"message": "x" * 5001}, "Your message must be 5,000 characters or fewer"),
        ({"name": "x" * 101}, "Name must be 100 characters or fewer"),
        ({"name": "Sam\x00"}, "Null characters are not allowed"),
        ({"message": "Hello\x00 there, world"}, "Null characters are not allowed"),
        ({"name": "Sam\nBcc: victim@example.org"}, "on one line"),
        ({"collaborative": "no-such-place"}, "Select a collaborative from the list"),
        ({"subject": "bribe"}, "Select what your message is about"),
    ],
)
def test_bad_input_gets_form_errors_never_a_500(client, home, overrides, error):
    response = client.post(URL, form_data(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert error in html
    assert parse(html).h1s == ["Contact us"]
    assert not ContactMessage.objects.exists()
    assert mail.outbox == []


def test_a_filled_honeypot_is_silently_discarded_with_the_same_acknowledgement(client, home):
    response = client.post(URL, form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == "/contact/sent/?to=wessex"
    assert not ContactMessage.objects.exists()
    assert mail.outbox == []


def test_too_many_messages_from_one_address_get_a_clear_429_page(client, home, monkeypatch):
    monkeypatch.setattr(views, "RATE_LIMIT", 2)
    for _ in range(2):
        assert client.post(URL, form_data()).status_code == 302
    response = client.post(URL, form_data())
    assert response.status_code == 429
    assert parse(response.content.decode()).h1s == ["Too many messages"]
    assert ContactMessage.objects.count() == 2
    other = client.post(URL, form_data(), REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302


def test_messages_are_deleted_after_the_retention_period(client, home, settings):
    settings.CONTACT_RETENTION_DAYS = 90
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=91), tick=False):
        client.post(URL, form_data(message="An old message, past its time."))
    with time_machine.travel(start - timedelta(days=89), tick=False):
        client.post(URL, form_data(message="A recent message, still kept."))
    out = StringIO()
    call_command("purge_contact_messages", stdout=out)
    assert "Deleted 1 contact message(s) older than 90 days" in out.getvalue()
    assert list(ContactMessage.objects.values_list("message", flat=True)) == [
        "A recent message, still kept."
    ]


def _message(organisation, text="Please see https://evil.example/<b>x</b>", name="Sam"):
    return ContactMessage.objects.create(
        organisation=organisation,
        name=name,
        email="sam@example.org",
        message=text,
        routed_by=RoutedBy.CHOICE,
    )


def test_staff_see_only_their_own_collaboratives_messages(client, home, oxford):
    mine = _message(home, "For Wessex", name="Wessex visitor")
    theirs = _message(oxford, "For Oxford", name="Oxford visitor")
    editor = make_staff("editor@wessex.example", EDITOR, organisation=home)
    sign_in(client, editor)
    listing = client.get("/admin/contact/contactmessage/").content.decode()
    assert "Wessex visitor" in listing
    assert "Oxford visitor" not in listing
    assert client.get(f"/admin/contact/contactmessage/{mine.pk}/change/").status_code == 200
    assert client.get(f"/admin/contact/contactmessage/{theirs.pk}/change/").status_code in {
        302,
        403,
        404,
    }
    assert [m.pk for m in ContactMessage.objects.for_user(editor)] == [mine.pk]


def test_staff_mark_a_message_handled_and_links_are_never_clickable(client, home):
    message = _message(home)
    editor = make_staff("editor@wessex.example", EDITOR, organisation=home)
    sign_in(client, editor)
    page = client.get(f"/admin/contact/contactmessage/{message.pk}/change/").content.decode()
    assert "Please see https://evil.example/&lt;b&gt;x&lt;/b&gt;" in page
    assert 'href="https://evil.example' not in page
    response = client.post(
        f"/admin/contact/contactmessage/{message.pk}/change/", {"is_handled": "on"}
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.is_handled and message.handled_by == editor and message.handled_at


def test_the_privacy_page_says_what_is_kept_and_for_how_long(client, home, settings):
    settings.CONTACT_RETENTION_DAYS = 90
    html = client.get("/privacy/").content.decode()
    assert "contact form" in html
    assert "90 days" in html
