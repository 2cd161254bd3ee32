"""The resource library: toolkits, reports, videos, webinars... either uploaded or linked."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse

from collaboratives.models import Organisation
from core.history import HistoricalRecords
from core.models import Vocabulary
from core.publishing import Publishable, public_listing_indexes
from core.richtext import RichTextField, is_blank
from core.uploads import validate_document
from measures.models import Measure
from programmes.models import CareSetting, Programme


class ResourceKind(models.TextChoices):
    REPORT = "report", "Report"
    TOOLKIT = "toolkit", "Toolkit"
    GUIDE = "guide", "Guide"
    VIDEO = "video", "Video"
    WEBINAR = "webinar", "Webinar"
    PODCAST = "podcast", "Podcast"
    TRAINING = "training", "Training course"
    DASHBOARD = "dashboard", "Dashboard"
    WEB_PAGE = "web_page", "Web page"


class Topic(Vocabulary):
    """What a resource is about (e.g. COVID-19)."""

    history = HistoricalRecords(excluded_fields=["loaded_values"])

    class Meta(Vocabulary.Meta):
        pass


def format_file_size(size: int) -> str:
    """Human file size as GOV.UK and NHS.UK show it: '840 KB', '2 MB', '2.5 MB'."""
    if size < 1024:
        return f"{size} bytes"
    value = size / 1024
    for unit in ("KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            if unit == "KB" or value >= 10:
                return f"{round(value)} {unit}"
            return f"{round(value, 1):g} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


class Resource(Publishable):
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Used in the public web address."
    )
    summary = models.TextField(
        help_text="Two or three sentences shown in lists and search results."
    )
    description = RichTextField(blank=True, help_text="Longer description for the detail page.")
    kind = models.CharField(max_length=20, choices=ResourceKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
        help_text="The collaborative that owns it. Leave empty for national material.",
    )
    programmes = models.ManyToManyField(Programme, blank=True, related_name="resources")
    topics = models.ManyToManyField(Topic, blank=True, related_name="resources")
    care_settings = models.ManyToManyField(CareSetting, blank=True, related_name="resources")
    measures = models.ManyToManyField(
        Measure,
        blank=True,
        related_name="resources",
        help_text="Improvement measures this resource helps to improve, or whose data it "
        "explains. Only published measures count.",
    )
    file = models.FileField(
        upload_to="resources/%Y/%m/",
        blank=True,
        validators=[validate_document],
        help_text="Upload a document (PDF, Word, Excel, PowerPoint or CSV), or give a link "
        "below – not both. With neither, the page tells readers to ask the collaborative for a "
        "copy.",
    )
    url = models.URLField(
        "link",
        max_length=500,
        blank=True,
        help_text="Link to material held elsewhere: only an address you have checked.",
    )
    file_type = models.CharField(
        max_length=20, blank=True, help_text="Shown to readers, e.g. 'PDF'. Filled in on upload."
    )
    file_size = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="In bytes. Filled in on upload."
    )
    accessibility_exemption = models.TextField(
        "accessibility exemption",
        blank=True,
        help_text="Only for a document with no HTML description: why it has none (for example, "
        "archived material not needed for using our services). Public: shown on its page.",
    )
    published_on = models.DateField(
        null=True, blank=True, help_text="When the material itself was published, if known."
    )

    search_vector = SearchVectorField(
        null=True,
        editable=False,
        help_text="Kept up to date by a database trigger on PostgreSQL (see migration 0001).",
    )

    history = HistoricalRecords(
        m2m_fields=["programmes", "topics", "care_settings", "measures"],
        excluded_fields=["search_vector"],
    )

    class Meta:
        ordering = ["-publish_from", "-pk"]
        permissions = [("publish_resource", "Can publish, schedule, unpublish and archive")]
        indexes = [
            *public_listing_indexes("resource"),
            models.Index(
                fields=["kind", "-publish_from", "-id"],
                condition=models.Q(status="published"),
                name="resource_kind_published_idx",
            ),
            # The staff changelist: every status, newest first.
            models.Index(fields=["-publish_from", "-id"], name="resource_newest_idx"),
        ]
        constraints = [
            # Neither is allowed: material we cannot link to is available on request.
            models.CheckConstraint(
                condition=models.Q(file="") | models.Q(url=""),
                name="resource_not_file_and_link",
                violation_error_message="Give either an uploaded file or a link, not both.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.file:
            self.file_size = self.file.size
            if not self.file_type and "." in self.file.name:
                self.file_type = self.file.name.rsplit(".", 1)[-1].upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("resources:detail", kwargs={"slug": self.slug})

    @property
    def needs_html_summary(self) -> bool:
        """A document-only resource must have an HTML description or a recorded exemption."""
        return (
            bool(self.file)
            and is_blank(self.description)
            and not self.accessibility_exemption.strip()
        )

    @property
    def is_external(self) -> bool:
        return bool(self.url)

    @property
    def file_description(self) -> str:
        """'PDF, 2 MB' for a download; empty for a link."""
        if not self.file:
            return ""
        parts = [self.file_type] if self.file_type else []
        if self.file_size is not None:
            parts.append(format_file_size(self.file_size))
        return ", ".join(parts)
