"""Abstract models shared by the content apps."""

import datetime
from calendar import monthrange

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone


class ReferenceData(models.Model):
    """Remembers the values last loaded from the data files.

    The loader compares each field with this snapshot: a field still equal to what was loaded
    may be refreshed from the files; a field that differs was edited by an administrator and is
    left alone (the loader reports it).
    """

    loaded_values = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        abstract = True


class Vocabulary(ReferenceData):
    """A small controlled list (themes, topics, care settings) that classifies content."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120, help_text="Public.")

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# Reviews: every fact the public reads is checked again by a date, or says it may be out of date.
DUE_SOON_DAYS = 30


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def default_review_by(start: datetime.date) -> datetime.date:
    return add_months(start, settings.REVIEW_INTERVAL_MONTHS)


class ReviewQuerySet(models.QuerySet):
    def in_service(self):
        """The items whose review matters (overridden: e.g. only what is published)."""
        return self

    def overdue(self, today: datetime.date | None = None):
        return self.filter(review_by__lt=today or timezone.localdate())

    def due_soon(self, days: int = DUE_SOON_DAYS, today: datetime.date | None = None):
        """Not yet overdue, but due within ``days``."""
        today = today or timezone.localdate()
        return self.filter(review_by__gte=today, review_by__lte=today + datetime.timedelta(days))

    def not_due(self, days: int = DUE_SOON_DAYS, today: datetime.date | None = None):
        today = today or timezone.localdate()
        later = today + datetime.timedelta(days)
        return self.filter(models.Q(review_by__gt=later) | models.Q(review_by__isnull=True))

    def falling_due(self, days: int = DUE_SOON_DAYS, today: datetime.date | None = None):
        """Overdue, or due within ``days``: what a reminder lists."""
        today = today or timezone.localdate()
        return self.filter(review_by__lte=today + datetime.timedelta(days))


class Reviewable(models.Model):
    """Content that is checked again by a date (``review_by``), or is flagged as possibly
    out of date. ``review_by`` defaults to REVIEW_INTERVAL_MONTHS after the last review, or
    after publication when it was never reviewed.
    """

    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text="When someone last checked that this is still right. Public: shown as "
        "“Last reviewed”.",
    )
    review_by = models.DateField(
        null=True,
        blank=True,
        help_text="When it is due another check. Leave empty to set it automatically "
        "(two years after the last review or publication). Not public; after this date the "
        "page says it may be out of date.",
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        loaded_reviewed, loaded_review_by = getattr(self, "_loaded_review", (None, None))
        reviewed_again = (
            self.last_reviewed is not None
            and self.last_reviewed != loaded_reviewed
            and self.review_by == loaded_review_by
        )
        if self.review_by is None or reviewed_again:
            self.review_by = default_review_by(self.review_start())
        super().save(*args, **kwargs)
        self._loaded_review = (self.last_reviewed, self.review_by)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_review = (
            instance.__dict__.get("last_reviewed"),
            instance.__dict__.get("review_by"),
        )
        return instance

    def review_start(self) -> datetime.date:
        """The date the review interval runs from: the last review, else publication."""
        if self.last_reviewed:
            return self.last_reviewed
        published = getattr(self, "publish_from", None)
        if isinstance(published, datetime.datetime):
            return timezone.localdate(published)
        return timezone.localdate()

    @property
    def is_overdue(self) -> bool:
        return self.review_by is not None and self.review_by < timezone.localdate()


def reviewable_models() -> list:
    """Every model whose items are reviewed by a date (case studies, resources...)."""
    return [model for model in apps.get_models() if issubclass(model, Reviewable)]
