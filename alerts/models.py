"""E-mail alert subscriptions, and the worker's record of what it has announced and sent.

A subscription keeps only the address, the search it follows, how often, the consent wording
shown and when consent was given and confirmed. Unsubscribing deletes it with its deliveries.
"""

from django.db import models

from alerts.topics import TOPIC_CHOICES


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "As soon as something is published"
    DAILY = "daily", "Once a day, in one e-mail"


class Subscription(models.Model):
    email = models.EmailField(max_length=254)
    topic = models.CharField(max_length=20, choices=TOPIC_CHOICES)
    filters = models.JSONField(
        default=dict, blank=True, help_text="The finder's filters: {name: [values]}."
    )
    query = models.CharField(
        max_length=2000, blank=True, help_text="The same filters as the finder's query string."
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    consent_text = models.TextField(help_text="The consent wording the person agreed to.")
    consented_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["topic", "query", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "topic", "query"], name="alerts_subscription_unique_search"
            ),
        ]
        indexes = [
            models.Index(fields=["topic", "confirmed_at"], name="alerts_sub_topic_confirmed"),
            models.Index(fields=["consented_at"], name="alerts_sub_consented"),
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} ({self.query or 'all'})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Announcement(models.Model):
    """An item the worker has seen become public: it is announced once, never again."""

    topic = models.CharField(max_length=20, choices=TOPIC_CHOICES)
    object_id = models.BigIntegerField()
    announced_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "object_id"], name="alerts_announced_once"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.object_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed after retries"


class Delivery(models.Model):
    """One item for one subscription: sent at most once (the unique constraint)."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    topic = models.CharField(max_length=20, choices=TOPIC_CHOICES)
    object_id = models.BigIntegerField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "topic", "object_id"], name="alerts_sent_once"
            ),
        ]
        indexes = [models.Index(fields=["status"], name="alerts_delivery_status")]

    def __str__(self) -> str:
        return f"{self.topic} #{self.object_id} → subscription {self.subscription_id}"


class ScanState(models.Model):
    """When the worker last looked for newly public items."""

    name = models.CharField(max_length=50, unique=True)
    scanned_until = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name}: {self.scanned_until:%Y-%m-%d %H:%M}"
