"""The publication rule, in one place.

Every public view, feed, sitemap, search and the home page asks ``Model.objects.published()``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core import roles
from core.models import Reviewable, ReviewQuerySet


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


# The statuses an editor (who may not publish) can give an item.
EDITOR_STATUSES = (PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW)
NEWEST_FIRST = ("-publish_from", "-pk")


class ScopedQuerySet(models.QuerySet):
    """Content owned by a collaborative (an ``organisation`` foreign key)."""

    def for_user(self, user):
        """What a staff member may work on: their own collaborative's items.

        Network administrators see everything; staff not yet given a collaborative see nothing
        (not even national items).
        """
        if roles.is_network_administrator(user):
            return self
        own = roles.organisation_id_of(user)
        if own is None:
            return self.none()
        return self.filter(organisation_id=own)


class PublishableQuerySet(ScopedQuerySet, ReviewQuerySet):
    def published(self):
        """Items the public may see: published, and their publish-from moment has passed."""
        return self.filter(status=PublicationStatus.PUBLISHED, publish_from__lte=timezone.now())

    def newest_first(self):
        return self.order_by(*NEWEST_FIRST)

    def in_service(self):
        """Only what the public can see needs reviewing; drafts are checked as they are written."""
        return self.published()


class Publishable(Reviewable):
    """Editorial state, audit stamps and review dates shared by the content staff publish."""

    status = models.CharField(
        max_length=20,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
        help_text="Only published items whose publish-from date has passed are public.",
    )
    publish_from = models.DateTimeField(
        default=timezone.now,
        help_text="When a published item goes live. Set a future date to schedule it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED and self.publish_from <= timezone.now()


def public_listing_indexes(prefix: str) -> list[models.Index]:
    """The indexes every public listing of a Publishable model relies on.

    Newest-first pages read the partial index on published rows; option counts merge-join on
    id with index-only scans.
    """
    published = models.Q(status=PublicationStatus.PUBLISHED)
    return [
        models.Index(fields=["status", "-publish_from"], name=f"{prefix}_public_idx"),
        models.Index(
            fields=["-publish_from", "-id"], condition=published, name=f"{prefix}_published_idx"
        ),
        models.Index(
            fields=["id", "publish_from"], condition=published, name=f"{prefix}_published_id_idx"
        ),
    ]
