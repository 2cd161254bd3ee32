"""The alert journey's moving parts: signed links, the confirmation e-mail, the scan for
newly public items, and the alert e-mails themselves (run by the worker, see tasks.py)."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from alerts.models import (
    Announcement,
    Delivery,
    DeliveryStatus,
    Frequency,
    ScanState,
    Subscription,
)
from alerts.topics import TOPICS, as_query, describe
from events.models import Event

CONFIRM_SALT = "alerts.confirm"
UNSUBSCRIBE_SALT = "alerts.unsubscribe"
SCAN_NAME = "publications"
# Look back a little before the last scan: an item saved during the previous scan is not
# missed, and the Announcement record keeps it from being announced twice.
SCAN_OVERLAP = timedelta(minutes=10)


class InvalidLink(ValueError):
    pass


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _sign(subscription: Subscription, salt: str, timestamped: bool) -> str:
    payload = {"s": subscription.pk, "e": subscription.email}
    signer = signing.TimestampSigner(salt=salt) if timestamped else signing.Signer(salt=salt)
    return signer.sign_object(payload)


def _read(token: str, salt: str, max_age=None) -> tuple[int, str]:
    try:
        if max_age is None:
            payload = signing.Signer(salt=salt).unsign_object(token)
        else:
            payload = signing.TimestampSigner(salt=salt).unsign_object(token, max_age=max_age)
        return int(payload["s"]), str(payload["e"])
    except signing.SignatureExpired as error:
        raise InvalidLink("expired") from error
    except (signing.BadSignature, ValueError, TypeError, KeyError) as error:
        raise InvalidLink("invalid") from error


def confirm_token(subscription: Subscription) -> str:
    return _sign(subscription, CONFIRM_SALT, timestamped=True)


def unsubscribe_token(subscription: Subscription) -> str:
    return _sign(subscription, UNSUBSCRIBE_SALT, timestamped=False)


def read_confirm_token(token: str) -> tuple[int, str]:
    return _read(token, CONFIRM_SALT, max_age=timedelta(days=settings.ALERTS_CONFIRM_DAYS))


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    return _read(token, UNSUBSCRIBE_SALT)


def unsubscribe_url(subscription: Subscription) -> str:
    return absolute(reverse("alerts:unsubscribe", args=[unsubscribe_token(subscription)]))


def search_url(subscription: Subscription) -> str:
    topic = TOPICS[subscription.topic]
    query = as_query(subscription.filters).urlencode()
    return absolute(reverse(topic.list_route) + (f"?{query}" if query else ""))


def send_confirmation(subscription: Subscription) -> None:
    topic = TOPICS[subscription.topic]
    link = absolute(reverse("alerts:confirm", args=[confirm_token(subscription)]))
    body = (
        f"Someone, hopefully you, asked for e-mail alerts from {settings.SITE_NAME} about:\n\n"
        f"  {describe(topic, subscription.filters)}\n"
        f"  ({subscription.get_frequency_display().lower()})\n\n"
        f"To start them, confirm within {settings.ALERTS_CONFIRM_DAYS} days:\n\n{link}\n\n"
        "If you did not ask for this, ignore this e-mail: nothing will be sent, and your "
        f"address will be deleted after {settings.ALERTS_CONFIRM_DAYS} days.\n"
    )
    EmailMessage(
        f"Confirm your alerts – {settings.SITE_NAME}", body, to=[subscription.email]
    ).send()


# --- The worker's side --------------------------------------------------------------------


def scan(now=None) -> list[tuple[int, list[int]]]:
    """Record items that became public since the last scan, and what each subscriber is owed.

    Returns the immediate alerts to send: (subscription id, [delivery id]) one per item. The
    first scan ever takes what is already public as the starting point and owes nobody.
    """
    now = now or timezone.now()
    immediate = []
    with transaction.atomic():
        state = ScanState.objects.select_for_update().filter(name=SCAN_NAME).first()
        for topic in TOPICS.values():
            public = topic.public()
            if state is None:
                candidates = public
            else:
                since = state.scanned_until - SCAN_OVERLAP
                candidates = public.filter(Q(publish_from__gt=since) | Q(updated_at__gt=since))
            announced = Announcement.objects.filter(topic=topic.slug)
            new_ids = list(
                candidates.exclude(pk__in=announced.values("object_id")).values_list(
                    "pk", flat=True
                )
            )
            Announcement.objects.bulk_create(
                [Announcement(topic=topic.slug, object_id=pk, announced_at=now) for pk in new_ids],
                ignore_conflicts=True,
            )
            if state is None or not new_ids:
                continue
            subscriptions = Subscription.objects.filter(
                topic=topic.slug, confirmed_at__isnull=False, confirmed_at__lte=now
            )
            for subscription in subscriptions:
                filterset = topic.filterset(
                    as_query(subscription.filters), queryset=public.filter(pk__in=new_ids)
                )
                if not filterset.is_valid():  # e.g. a topic it names was since removed
                    continue
                matched = list(filterset.qs.order_by("publish_from", "pk").values_list(
                    "pk", flat=True
                ))  # fmt: skip
                created = Delivery.objects.bulk_create(
                    [
                        Delivery(subscription=subscription, topic=topic.slug, object_id=pk)
                        for pk in matched
                    ],
                    ignore_conflicts=True,
                )
                if subscription.frequency == Frequency.IMMEDIATE:
                    ids = Delivery.objects.filter(
                        subscription=subscription,
                        object_id__in=[d.object_id for d in created],
                        status=DeliveryStatus.PENDING,
                    ).values_list("pk", flat=True)
                    immediate.extend((subscription.pk, [pk]) for pk in ids)
        ScanState.objects.update_or_create(name=SCAN_NAME, defaults={"scanned_until": now})
    return immediate


def pending_digests() -> list[tuple[int, list[int]]]:
    """Each daily subscriber's waiting items, to go in one e-mail each."""
    pending = Delivery.objects.filter(
        status=DeliveryStatus.PENDING,
        subscription__frequency=Frequency.DAILY,
        subscription__confirmed_at__isnull=False,
    ).order_by("subscription_id", "pk")
    grouped: dict[int, list[int]] = {}
    for subscription_id, pk in pending.values_list("subscription_id", "pk"):
        grouped.setdefault(subscription_id, []).append(pk)
    return list(grouped.items())


def alert_message(subscription: Subscription, items: list) -> EmailMessage:
    topic = TOPICS[subscription.topic]
    noun = topic.singular if len(items) == 1 else topic.plural
    subject = f"New {noun}: {items[0].title}" if len(items) == 1 else f"{len(items)} new {noun}"
    lines = [f"New {noun} on {settings.SITE_NAME} for your alert:", ""]
    for item in items:
        when = [f"{item.when} (UK time)"] if isinstance(item, Event) else []
        lines += [item.title, *when, item.summary, absolute(item.get_absolute_url()), ""]
    unsubscribe = unsubscribe_url(subscription)
    lines += [
        f"Your alert: {describe(topic, subscription.filters)}",
        f"See everything it covers: {search_url(subscription)}",
        "",
        f"Stop these alerts (one click): {unsubscribe}",
    ]
    return EmailMessage(
        f"{subject} – {settings.SITE_NAME}",
        "\n".join(lines),
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def deliver(subscription_id: int, delivery_ids: list[int]) -> int:
    """Send one e-mail with the still-pending, still-public items; returns how many it had.

    Raises if the e-mail cannot be sent, so the task is retried; nothing is marked sent then.
    """
    subscription = Subscription.objects.filter(
        pk=subscription_id, confirmed_at__isnull=False
    ).first()
    if subscription is None:  # unsubscribed meanwhile: its deliveries went with it
        return 0
    topic = TOPICS[subscription.topic]
    deliveries = list(
        subscription.deliveries.filter(pk__in=delivery_ids, status=DeliveryStatus.PENDING)
    )
    public = topic.model.objects.published().in_bulk([d.object_id for d in deliveries])
    gone = [d.pk for d in deliveries if d.object_id not in public]
    Delivery.objects.filter(pk__in=gone).update(
        status=DeliveryStatus.FAILED, error="No longer public when it was due to be sent."
    )
    items = [public[d.object_id] for d in deliveries if d.object_id in public]
    if not items:
        return 0
    alert_message(subscription, items).send()
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries if d.pk not in gone]).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now()
    )
    return len(items)


def record_failure(delivery_ids: list[int], error: Exception) -> None:
    Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, error=f"{type(error).__name__}: {error}"[:300]
    )


def purge_unconfirmed(now=None) -> int:
    """Delete sign-ups never confirmed within ALERTS_CONFIRM_DAYS days."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ALERTS_CONFIRM_DAYS)
    deleted, _ = Subscription.objects.filter(
        confirmed_at__isnull=True, consented_at__lt=cutoff
    ).delete()
    return deleted
