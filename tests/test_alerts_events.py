"""Alerts and the Atom feed for the events finder: the same events as the finder shows, and
one e-mail per newly published upcoming event."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from huey.contrib import djhuey

from alerts import tasks
from alerts.models import Delivery, DeliveryStatus, Subscription
from core.publishing import PublicationStatus
from tests.factories import EventFactory, OrganisationFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/alerts/subscribe/?topic=events&programme=deterioration"


@pytest.fixture(autouse=True)
def _clean(settings, monkeypatch):
    settings.SITE_URL = "https://psc.example.org"
    cache.clear()
    djhuey.HUEY.flush()
    monkeypatch.setattr(djhuey, "close_old_connections", lambda: None)
    yield
    djhuey.HUEY.flush()


@pytest.fixture
def deterioration():
    return ProgrammeFactory(slug="deterioration", name="Managing deterioration")


def days(n: float):
    return timezone.now() + timedelta(days=n)


def run_worker():
    tasks.scan_for_new_items.call_local()
    while (task := djhuey.HUEY.dequeue()) is not None:
        djhuey.HUEY.execute(task)


def confirmed_subscription(client, email="reader@example.org", path=SUBSCRIBE) -> Subscription:
    data = {"email": email, "frequency": "immediate", "consent": "on", "website": ""}
    assert client.post(path, data).status_code == 302
    confirm = re.search(
        r"https://psc\.example\.org(/alerts/confirm/[^/\s]+/)", mail.outbox[-1].body
    )
    client.post(confirm[1])
    return Subscription.objects.get(email=email, topic="events")


def event_links(html: str, host: str = "") -> list[str]:
    return re.findall(rf'href="{host}(/events/(?!past/|calendar)[^"?]+/)"', html)


def test_the_events_finder_links_to_its_csv_feed_and_alerts_with_its_filters(client, deterioration):
    EventFactory().programmes.add(deterioration)
    html = client.get("/events/?programme=deterioration").content.decode()
    assert (
        'href="/api/events.csv?programme=deterioration" download>Download these results (CSV)'
        in html
    )
    assert 'href="/feeds/events/atom/?programme=deterioration">Atom feed' in html
    assert (
        'href="/alerts/subscribe/?topic=events&amp;programme=deterioration">e-mail alerts' in html
    )


def test_the_past_events_page_offers_its_own_csv_but_no_alerts(client):
    EventFactory(start=days(-3))
    html = client.get("/events/past/?format=online").content.decode()
    assert 'href="/api/events.csv?when=past&amp;format=online" download>' in html
    assert "/alerts/subscribe/" not in html
    assert client.get("/api/events.csv?when=past&format=online").status_code == 200


def test_the_event_feed_lists_exactly_what_the_finder_shows(client, deterioration):
    for n in range(4):
        event = EventFactory(title=f"Coming {n}", start=days(n + 1))
        if n < 3:
            event.programmes.add(deterioration)
    EventFactory(title="Over", start=days(-2)).programmes.add(deterioration)
    EventFactory(title="Draft", status=PublicationStatus.DRAFT).programmes.add(deterioration)
    EventFactory(title="Later", publish_from=days(1)).programmes.add(deterioration)

    for query in ("programme=deterioration", "programme=deterioration&format=online", ""):
        feed = client.get(f"/feeds/events/atom/?{query}")
        assert feed.status_code == 200
        assert feed["Content-Type"].startswith("application/atom+xml")
        feed_links = event_links(feed.content.decode().replace("<link href=", "href="),
                                 "http://testserver")  # fmt: skip
        finder_links = event_links(client.get(f"/events/?{query}").content.decode())
        assert feed_links == list(dict.fromkeys(finder_links)), query
        assert len(feed_links) == (4 if not query else 3)


def test_an_event_feed_with_unknown_or_invalid_filters_is_a_400(client):
    EventFactory(start=datetime(2099, 3, 3, 14, tzinfo=UTC))
    assert client.get("/feeds/events/atom/?colour=red").status_code == 400
    assert client.get("/feeds/events/atom/?format=carrier-pigeon").status_code == 400
    assert client.get("/feeds/events/atom/?month=2099-04").status_code == 400
    assert client.get("/feeds/events/atom/?month=2099-03").status_code == 200


def test_an_events_alert_names_the_search_on_the_sign_up_page(client, deterioration):
    page = client.get(SUBSCRIBE).content.decode()
    assert "new events are published" in page
    assert "Events – Programme: Managing deterioration" in page


def test_the_worker_sends_one_alert_for_a_newly_published_event(client, deterioration):
    confirmed_subscription(client)
    EventFactory(title="Already known").programmes.add(deterioration)
    tasks.scan_for_new_items.call_local()  # the first scan: what is public now is not news
    mail.outbox.clear()

    new = EventFactory(title="NEWS2 webinar", start=datetime(2099, 3, 3, 14, tzinfo=UTC))
    new.programmes.add(deterioration)
    EventFactory(title="Other programme").programmes.add(ProgrammeFactory())
    EventFactory(title="A draft", status=PublicationStatus.DRAFT).programmes.add(deterioration)
    scheduled = EventFactory(title="Scheduled", publish_from=days(1 / 24))
    scheduled.programmes.add(deterioration)
    EventFactory(title="Already over", start=days(-5)).programmes.add(deterioration)
    run_worker()

    assert [m.subject.split(" – ")[0] for m in mail.outbox] == ["New event: NEWS2 webinar"]
    body = mail.outbox[0].body
    assert "Tuesday 3 March 2099, 2pm to 3pm (UK time)" in body
    assert "https://psc.example.org/events/" in body
    assert (
        "See everything it covers: https://psc.example.org/events/?programme=deterioration" in body
    )

    mail.outbox.clear()
    new.summary = "An edit"
    new.save()
    run_worker()
    assert mail.outbox == []

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        run_worker()
    assert [m.subject.split(" – ")[0] for m in mail.outbox] == ["New event: Scheduled"]
    assert Delivery.objects.filter(topic="events", status=DeliveryStatus.SENT).count() == 2


def test_an_events_alert_keeps_to_its_collaborative_and_format(client):
    wessex = OrganisationFactory(slug="wessex")
    EventFactory(organisation=wessex)
    confirmed_subscription(
        client, path="/alerts/subscribe/?topic=events&collaborative=wessex&format=in_person"
    )
    tasks.scan_for_new_items.call_local()
    mail.outbox.clear()
    EventFactory(title="Online", organisation=wessex)
    EventFactory(title="In person elsewhere", format="in_person")
    EventFactory(title="Wessex in person", organisation=wessex, format="in_person")
    run_worker()
    assert [m.subject.split(" – ")[0] for m in mail.outbox] == ["New event: Wessex in person"]
