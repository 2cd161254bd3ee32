"""Events and webinars run by the collaboratives: when, where or how to join, how to book,
and afterwards the recording and slides (as resources)."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from collaboratives.models import Organisation
from core.history import HistoricalRecords
from core.publishing import PublicationStatus, Publishable, PublishableQuerySet
from core.richtext import RichTextField
from events.dates import format_when
from programmes.models import CareSetting, Programme
from resources.models import Resource, Topic


class EventFormat(models.TextChoices):
    ONLINE = "online", "Online"
    IN_PERSON = "in_person", "In person"
    HYBRID = "hybrid", "Online and in person"


class EventQuerySet(PublishableQuerySet):
    def upcoming(self, now=None):
        """Events that have not yet ended (one in progress is still listed), soonest first."""
        return self.filter(end__gt=now or timezone.now()).soonest_first()

    def past(self, now=None):
        """Events that have ended, most recent first."""
        return self.filter(end__lte=now or timezone.now()).latest_first()

    def soonest_first(self):
        return self.order_by("start", "pk")

    def next_end(self, now=None):
        """When the next of these events ends (and so leaves the upcoming lists), or None."""
        return self.filter(end__gt=now or timezone.now()).aggregate(models.Min("end"))["end__min"]

    def latest_first(self):
        return self.order_by("-start", "-pk")


class Event(Publishable):
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Used in the public web address."
    )
    uid = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text="Identifies the event in calendar apps, so an update replaces the old entry.",
    )
    summary = models.TextField(
        help_text="Two or three sentences shown in lists, calendars and search results."
    )
    description = RichTextField(blank=True, help_text="Who it is for, the agenda, speakers.")
    start = models.DateTimeField(help_text="UK time. Changes of the clocks are handled for you.")
    end = models.DateTimeField(help_text="UK time. Must be after the start.")
    format = models.CharField("online or in person", max_length=20, choices=EventFormat.choices)
    location = models.TextField(
        "venue or joining instructions",
        blank=True,
        help_text="The venue's name and address, or how to join online. Public. Leave empty "
        "until known: the page then says the details will follow.",
    )
    booking_url = models.URLField(
        "booking link",
        max_length=500,
        blank=True,
        help_text="Where people book a place. Leave empty when no booking is needed.",
    )
    capacity_note = models.CharField(
        max_length=200, blank=True, help_text="e.g. '40 places', 'Open to all'. Public."
    )
    is_cancelled = models.BooleanField(
        "cancelled",
        default=False,
        help_text="Tick to keep the page but show that the event will not go ahead.",
    )
    is_illustrative = models.BooleanField(
        "illustrative example",
        default=False,
        help_text="Demo content: every page showing it says it is an illustrative example.",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="events",
        help_text="The collaborative running the event.",
    )
    programmes = models.ManyToManyField(Programme, blank=True, related_name="events")
    care_settings = models.ManyToManyField(CareSetting, blank=True, related_name="events")
    topics = models.ManyToManyField(Topic, blank=True, related_name="events")
    materials = models.ManyToManyField(
        Resource,
        blank=True,
        related_name="events",
        verbose_name="recording and slides",
        help_text="Resources from the event (recording, slides), shown once it has ended.",
    )

    objects = EventQuerySet.as_manager()

    history = HistoricalRecords(m2m_fields=["programmes", "care_settings", "topics", "materials"])

    class Meta:
        ordering = ["start", "pk"]
        permissions = [("publish_event", "Can publish, schedule, unpublish and archive")]
        indexes = [
            models.Index(
                fields=["start", "id"],
                condition=models.Q(status=PublicationStatus.PUBLISHED),
                name="event_published_start_idx",
            ),
            models.Index(
                fields=["end"],
                condition=models.Q(status=PublicationStatus.PUBLISHED),
                name="event_published_end_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="event_ends_after_start",
                violation_error_message="The event must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "The event must end after it starts."})

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def when(self) -> str:
        """'Tuesday 3 March 2026, 2pm to 3:30pm' in UK time."""
        return format_when(self.start, self.end)

    @property
    def is_past(self) -> bool:
        return self.end <= timezone.now()

    @property
    def is_online(self) -> bool:
        return self.format in (EventFormat.ONLINE, EventFormat.HYBRID)

    @property
    def is_in_person(self) -> bool:
        return self.format in (EventFormat.IN_PERSON, EventFormat.HYBRID)
