"""E-mail alerts: double opt-in, expiry, unsubscribe, the worker, digests, abuse limits, and
the filtered Atom feeds."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from huey.contrib import djhuey

from alerts import sending, tasks
from alerts.models import Delivery, DeliveryStatus, Subscription
from core.publishing import PublicationStatus
from tests.factories import CaseStudyFactory, ProgrammeFactory, ResourceFactory

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/alerts/subscribe/?topic=case-studies&programme=deterioration"


@pytest.fixture(autouse=True)
def _clean(settings, monkeypatch):
    settings.SITE_URL = "https://psc.example.org"
    cache.clear()
    djhuey.HUEY.flush()
    # Tasks run in this test's transaction: keep huey's wrapper from closing the connection
    # around each task, as Django's test client does for requests.
    monkeypatch.setattr(djhuey, "close_old_connections", lambda: None)
    yield
    djhuey.HUEY.flush()


@pytest.fixture
def deterioration():
    return ProgrammeFactory(slug="deterioration", name="Managing deterioration")


def sign_up(client, email="reader@example.org", frequency="immediate", path=SUBSCRIBE, **extra):
    data = {"email": email, "frequency": frequency, "consent": "on", "website": "", **extra}
    return client.post(path, data)


def link_in(message, kind: str) -> str:
    return re.search(rf"https://psc\.example\.org(/alerts/{kind}/[^/\s]+/)", message.body)[1]


def run_worker():
    """The periodic scan, then every task it queued, taken from the real queue in-process."""
    tasks.scan_for_new_items.call_local()
    while (task := djhuey.HUEY.dequeue()) is not None:
        djhuey.HUEY.execute(task)


def confirmed_subscription(client, **kwargs) -> Subscription:
    sign_up(client, **kwargs)
    client.post(link_in(mail.outbox[-1], "confirm"))
    return Subscription.objects.get(email=kwargs.get("email", "reader@example.org"))


# --- Double opt-in ------------------------------------------------------------------------


def test_the_whole_double_opt_in_journey(client, deterioration):
    form = client.get(SUBSCRIBE)
    assert form.status_code == 200
    assert "Programme: Managing deterioration" in form.content.decode()

    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/alerts/check-your-email/"
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None
    assert subscription.filters == {"programme": ["deterioration"]}
    assert "keeps my e-mail address" in subscription.consent_text
    assert len(mail.outbox) == 1

    confirm = link_in(mail.outbox[0], "confirm")
    page = client.get(confirm)
    assert "Confirm my alerts" in page.content.decode()
    Subscription.objects.get(confirmed_at__isnull=True)  # a GET (a link scanner) confirms nothing

    assert client.post(confirm).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None
    replay = client.post(confirm)
    assert replay.status_code == 200
    assert "Your alerts are confirmed" in replay.content.decode()


def test_an_unconfirmed_sign_up_receives_nothing(client, deterioration):
    sign_up(client)
    tasks.scan_for_new_items.call_local()  # the first scan only takes note of what is public
    CaseStudyFactory().programmes.add(deterioration)
    mail.outbox.clear()
    run_worker()
    assert mail.outbox == []


def test_a_confirmation_link_expires_after_the_configured_days(client, deterioration):
    with time_machine.travel(timezone.now() - timedelta(days=8), tick=False):
        sign_up(client)
    response = client.post(link_in(mail.outbox[0], "confirm"))
    assert response.status_code == 400
    assert "Confirmation links work for 7 days" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_unconfirmed_sign_ups_are_deleted_after_seven_days(client, deterioration):
    with time_machine.travel(timezone.now() - timedelta(days=8), tick=False):
        sign_up(client, email="old@example.org")
    sign_up(client, email="new@example.org")
    tasks.delete_unconfirmed_sign_ups.call_local()
    assert list(Subscription.objects.values_list("email", flat=True)) == ["new@example.org"]


@pytest.mark.parametrize("token", ["nonsense", "eyJzIjoxLCJlIjoieCJ9:1abc:def"])
def test_a_tampered_link_is_a_clear_400(client, token):
    for kind in ("confirm", "unsubscribe"):
        response = client.post(f"/alerts/{kind}/{token}/")
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()


def test_the_answer_is_the_same_whether_or_not_the_address_is_subscribed(client, deterioration):
    confirmed_subscription(client)
    mail.outbox.clear()
    again = sign_up(client)
    fresh = sign_up(client, email="someone.else@example.org")
    assert again.status_code == fresh.status_code == 302
    assert again["Location"] == fresh["Location"]
    assert [m.to for m in mail.outbox] == [["someone.else@example.org"]]


@pytest.mark.parametrize(
    "data, field",
    [
        ({"email": "not-an-address"}, "email"),
        ({"email": ""}, "email"),
        ({"consent": ""}, "consent"),
        ({"frequency": "hourly"}, "frequency"),
    ],
)
def test_a_bad_sign_up_is_a_400_that_stores_nothing(client, deterioration, data, field):
    response = sign_up(client, **data)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert Subscription.objects.count() == 0 and mail.outbox == []


@pytest.mark.parametrize(
    "query",
    ["topic=nothing", "topic=case-studies&programme=no-such", "topic=resources&colour=red", ""],
)
def test_a_sign_up_for_an_unknown_topic_or_filter_is_a_400(client, query):
    assert client.get(f"/alerts/subscribe/?{query}").status_code == 400


def test_the_honeypot_gets_the_usual_answer_and_nothing_is_kept(client, deterioration):
    response = sign_up(client, website="http://spam.example")
    assert response.status_code == 302
    assert Subscription.objects.count() == 0 and mail.outbox == []


def test_sign_ups_are_limited_per_connection_and_per_address(client, deterioration):
    for n in range(3):
        sign_up(client, email="target@example.org", path=f"{SUBSCRIBE}&q=word{n}")
    sign_up(client, email="target@example.org", path=f"{SUBSCRIBE}&q=more")
    assert len(mail.outbox) == 3  # the fourth e-mail to one address in a day is not sent
    for n in range(6):
        sign_up(client, email=f"p{n}@example.org")
    limited = sign_up(client, email="last@example.org")
    assert limited.status_code == 429
    assert not Subscription.objects.filter(email="last@example.org").exists()


def test_only_the_form_page_sets_a_cookie(client, deterioration):
    finder = client.get("/case-studies/?programme=deterioration")
    assert not finder.cookies
    assert "/alerts/subscribe/?topic=case-studies&amp;programme=deterioration" in (
        finder.content.decode()
    )
    assert "csrftoken" in "".join(client.get(SUBSCRIBE).cookies)


# --- Unsubscribing ------------------------------------------------------------------------


def test_one_click_unsubscribe_deletes_the_subscription(client, deterioration):
    confirmed_subscription(client)
    tasks.scan_for_new_items.call_local()
    CaseStudyFactory().programmes.add(deterioration)
    run_worker()
    alert = mail.outbox[-1]
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = (
        alert.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("https://psc.example.org")
    )
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscription.objects.count() == 0 and Delivery.objects.count() == 0
    assert client.post(url).status_code == 200  # again: still "unsubscribed", no error


def test_the_unsubscribe_link_shows_a_confirmation_page_first(client, deterioration):
    subscription = confirmed_subscription(client)
    url = sending.unsubscribe_url(subscription).removeprefix("https://psc.example.org")
    page = client.get(url)
    assert "Stop these alerts" in page.content.decode()
    assert Subscription.objects.count() == 1
    client.post(url)
    assert Subscription.objects.count() == 0


# --- The worker ---------------------------------------------------------------------------


def test_the_worker_sends_one_alert_per_new_item_per_subscription(client, deterioration):
    confirmed_subscription(client, email="a@example.org")
    confirmed_subscription(client, email="b@example.org")
    old = CaseStudyFactory(title="Old news")
    old.programmes.add(deterioration)
    tasks.scan_for_new_items.call_local()  # the first scan: what is public now is not news
    mail.outbox.clear()

    first = CaseStudyFactory(title="New and relevant")
    first.programmes.add(deterioration)
    CaseStudyFactory(title="Another programme").programmes.add(ProgrammeFactory())
    draft = CaseStudyFactory(title="Still a draft", status=PublicationStatus.DRAFT)
    draft.programmes.add(deterioration)
    scheduled = CaseStudyFactory(
        title="Scheduled", publish_from=timezone.now() + timedelta(hours=1)
    )
    scheduled.programmes.add(deterioration)
    run_worker()
    assert sorted((m.to[0], m.subject.split(" – ")[0]) for m in mail.outbox) == [
        ("a@example.org", "New case study: New and relevant"),
        ("b@example.org", "New case study: New and relevant"),
    ]

    mail.outbox.clear()
    first.summary = "An edit that does not change publication."
    first.save()
    run_worker()
    assert mail.outbox == []

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        run_worker()
    assert sorted(m.subject.split(" – ")[0] for m in mail.outbox) == [
        "New case study: Scheduled",
        "New case study: Scheduled",
    ]
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 4


def test_a_draft_published_later_is_announced_then(client, deterioration):
    confirmed_subscription(client)
    draft = CaseStudyFactory(status=PublicationStatus.DRAFT, publish_from=timezone.now())
    draft.programmes.add(deterioration)
    tasks.scan_for_new_items.call_local()
    mail.outbox.clear()
    draft.status = PublicationStatus.PUBLISHED
    draft.save()
    run_worker()
    assert len(mail.outbox) == 1
    run_worker()
    assert len(mail.outbox) == 1  # never twice


def test_daily_subscribers_get_one_digest_of_everything_new(client, deterioration):
    confirmed_subscription(client, frequency="daily")
    tasks.scan_for_new_items.call_local()
    mail.outbox.clear()
    for n in range(3):
        CaseStudyFactory(title=f"Item {n}").programmes.add(deterioration)
    run_worker()
    assert mail.outbox == []
    tasks.send_daily_digests.call_local()
    while (task := djhuey.HUEY.dequeue()) is not None:
        djhuey.HUEY.execute(task)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("3 new case studies")
    assert all(f"Item {n}" in mail.outbox[0].body for n in range(3))


def test_a_failed_send_is_retried_then_recorded(client, deterioration, monkeypatch):
    confirmed_subscription(client)
    tasks.scan_for_new_items.call_local()
    CaseStudyFactory().programmes.add(deterioration)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    tasks.scan_for_new_items.call_local()
    later = datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=1)  # huey's clock: naive UTC
    attempts = 0
    while attempts < 10:
        task = djhuey.HUEY.dequeue()
        if task is None:  # a retry waits RETRY_DELAY in the schedule: take it now
            due = djhuey.HUEY.read_schedule(later)
            if not due:
                break
            task = due[0]
        attempts += 1
        djhuey.HUEY.execute(task, timestamp=later)
    assert attempts == tasks.RETRIES + 1
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert "SMTP server down" in delivery.error


# --- Feeds --------------------------------------------------------------------------------


def test_the_filtered_feed_lists_exactly_what_the_finder_shows(client, deterioration):
    for n in range(4):
        CaseStudyFactory(title=f"In {n}", publish_from=timezone.now() - timedelta(days=n + 1))
    for case_study in list(CaseStudyFactory._meta.model.objects.all())[:3]:
        case_study.programmes.add(deterioration)
    CaseStudyFactory(title="Draft", status=PublicationStatus.DRAFT).programmes.add(deterioration)

    query = "programme=deterioration&sort=newest"
    feed = client.get(f"/feeds/case-studies/atom/?{query}")
    assert feed["Content-Type"].startswith("application/atom+xml")
    feed_links = re.findall(
        r'<link href="http://testserver(/case-studies/[^"]+/)"', feed.content.decode()
    )
    finder = client.get(f"/case-studies/?{query}")
    finder_links = re.findall(r'href="(/case-studies/[^"?]+/)"', finder.content.decode())
    assert feed_links == finder_links and len(feed_links) == 3
    assert client.get("/feeds/case-studies/").status_code == 200  # the site-wide RSS stays


def test_a_feed_with_unknown_or_invalid_filters_is_a_400(client):
    assert client.get("/feeds/resources/atom/?colour=red").status_code == 400
    assert client.get("/feeds/resources/atom/?kind=hologram").status_code == 400
    ResourceFactory(kind="toolkit")
    assert client.get("/feeds/resources/atom/?kind=toolkit").status_code == 200
