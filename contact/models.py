"""Messages sent through the public contact form, kept for the receiving collaborative's
staff and deleted after CONTACT_RETENTION_DAYS by ``purge_contact_messages``.

No history table: a deleted message must be gone, not kept in an audit copy.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from casestudies.models import CaseStudy
from collaboratives.models import Organisation
from core.publishing import ScopedQuerySet
from programmes.models import Programme


class Subject(models.TextChoices):
    GENERAL = "general", "A general question"
    PROGRAMME = "programme", "A national programme"
    CASE_STUDY = "case_study", "A case study"


class RoutedBy(models.TextChoices):
    CHOICE = "choice", "The visitor chose the collaborative"
    PLACE = "place", "Found from the postcode or place given"
    CASE_STUDY = "case_study", "The case study's collaborative"
    DEFAULT = "default", "Nothing chosen: the home collaborative"


class ContactMessageQuerySet(ScopedQuerySet):
    def expired(self, now=None):
        days = settings.CONTACT_RETENTION_DAYS
        return self.filter(created_at__lt=(now or timezone.now()) - timedelta(days=days))


class ContactMessage(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="contact_messages",
        help_text="The collaborative the message is for; its staff see it.",
    )
    name = models.CharField(max_length=100)
    email = models.EmailField("e-mail address", max_length=254)
    their_organisation = models.CharField("their organisation", max_length=200, blank=True)
    their_role = models.CharField("their role", max_length=200, blank=True)
    subject = models.CharField(
        "about", max_length=20, choices=Subject.choices, default=Subject.GENERAL
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    case_study = models.ForeignKey(
        CaseStudy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    case_study_reference = models.CharField("case study (as given)", max_length=300, blank=True)
    message = models.TextField()
    routed_by = models.CharField(max_length=20, choices=RoutedBy.choices)
    place_given = models.CharField("postcode or place given", max_length=100, blank=True)
    sent_to = models.EmailField(
        blank=True,
        help_text="The address the message was e-mailed to; empty when none is recorded "
        "(the message is then only here).",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    is_handled = models.BooleanField("handled", default=False)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = ContactMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["organisation", "is_handled", "-created_at"], name="contact_inbox_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.get_subject_display()} ({self.created_at:%d %b %Y})"
