"""Case studies of local improvement work, in the sector's structure: summary, the issue,
what was done, impact (with figures as data), quotes, contacts."""

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from collaboratives.models import Organisation
from core.history import HistoricalRecords
from core.models import Vocabulary
from core.publishing import Publishable, public_listing_indexes
from core.richtext import RichTextField
from core.uploads import validate_image
from measures.models import Measure
from programmes.models import CareSetting, Programme, Workstream


class Theme(Vocabulary):
    """What a case study is about, beyond its programme (e.g. co-design)."""

    history = HistoricalRecords(excluded_fields=["loaded_values"])

    class Meta(Vocabulary.Meta):
        pass


class FundingDeclaration(models.TextChoices):
    NOT_STATED = "", "Not stated yet"
    NONE = "none", "No funding or industry sponsorship"
    DECLARED = "declared", "Funding or sponsorship declared below"


class CaseStudy(Publishable):
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Used in the public web address."
    )
    summary = models.TextField(
        help_text="Two or three sentences shown in lists and search results."
    )
    issue = RichTextField("the issue", help_text="The problem the work set out to address.")
    what_we_did = RichTextField("what was done")
    impact = RichTextField(help_text="What changed. Put the headline numbers in impact figures.")
    evaluation = RichTextField(
        "how it was evaluated",
        blank=True,
        help_text="How you know it worked: the method, the data and who looked at it. Public.",
    )
    next_steps = RichTextField(blank=True)
    funding_declaration = models.CharField(
        "funding or industry sponsorship",
        max_length=20,
        choices=FundingDeclaration.choices,
        blank=True,
        help_text="Say whether the work had funding or industry sponsorship. Public.",
    )
    funding_details = models.TextField(
        "funding details",
        blank=True,
        help_text="Who funded or sponsored the work, and how. Needed when you declare funding. "
        "Public.",
    )
    checklist_override_reason = models.TextField(
        "reason for publishing with the checklist incomplete",
        blank=True,
        help_text="Publishers only: why this may be published although the publication "
        "checklist is not complete. Kept in the history. Not public.",
    )
    image = models.FileField(
        upload_to="case-studies/%Y/%m/",
        blank=True,
        validators=[validate_image],
        help_text="Optional picture shown at the top of the page: PNG, JPEG or WebP.",
    )
    image_alt = models.CharField(
        "image description (alt text)",
        max_length=250,
        blank=True,
        help_text="What the picture shows, for people who cannot see it. Required with an "
        "image unless it is purely decorative.",
    )
    image_decorative = models.BooleanField(
        "the image is decorative",
        default=False,
        help_text="Tick only if the picture adds nothing to the text; it then has no alt text.",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="case_studies",
        help_text="The collaborative that owns this case study.",
    )
    programmes = models.ManyToManyField(Programme, blank=True, related_name="case_studies")
    workstreams = models.ManyToManyField(Workstream, blank=True, related_name="case_studies")
    care_settings = models.ManyToManyField(CareSetting, blank=True, related_name="case_studies")
    themes = models.ManyToManyField(Theme, blank=True, related_name="case_studies")
    measures = models.ManyToManyField(
        Measure,
        blank=True,
        related_name="case_studies",
        help_text="Improvement measures (charts of data over time) that show this work's "
        "impact. Only published measures are shown.",
    )
    search_vector = SearchVectorField(
        null=True,
        editable=False,
        help_text="Kept up to date by a database trigger on PostgreSQL (see migration 0001).",
    )

    # Every change is recorded (who, when, the values) and can be compared and restored.
    history = HistoricalRecords(
        m2m_fields=["programmes", "workstreams", "care_settings", "themes", "measures"],
        excluded_fields=["search_vector"],
    )

    class Meta:
        ordering = ["-publish_from", "-pk"]
        verbose_name_plural = "case studies"
        permissions = [("publish_casestudy", "Can publish, schedule, unpublish and archive")]
        indexes = [
            *public_listing_indexes("casestudy"),
            models.Index(
                fields=["organisation", "-publish_from", "-id"],
                condition=models.Q(status="published"),
                name="casestudy_org_published_idx",
            ),
            # The staff changelist: every status, newest first.
            models.Index(fields=["-publish_from", "-id"], name="casestudy_newest_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.image and not self.image_decorative and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": "Describe the image, or tick “the image is decorative”."}
            )

    def get_absolute_url(self) -> str:
        return reverse("casestudies:detail", kwargs={"slug": self.slug})

    @property
    def funding_statement(self) -> str:
        """The public funding line, or empty when nothing was declared yet."""
        if self.funding_declaration == FundingDeclaration.NONE:
            return "No funding or industry sponsorship."
        if self.funding_declaration == FundingDeclaration.DECLARED:
            return self.funding_details
        return ""


class ImpactFigure(models.Model):
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="figures")
    label = models.CharField(
        max_length=200,
        help_text="What the number is, e.g. 'eligible women given magnesium sulphate'.",
    )
    value = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField(max_length=30, blank=True, help_text="e.g. '%', 'wards', 'views'.")
    baseline = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    period = models.CharField(max_length=100, blank=True, help_text="e.g. '2021/22'.")
    source = models.CharField(max_length=300, blank=True, help_text="Where the figure comes from.")
    measure = models.ForeignKey(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="impact_figures",
        help_text="Optional: the improvement measure this figure comes from. The case study "
        "links to its chart once the measure is published.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case_study", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.value.normalize():f}{self.unit} {self.label}"


class Quote(models.Model):
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField()
    attribution = models.CharField(max_length=200, help_text="Who said it (person or body).")
    role = models.CharField(max_length=200, blank=True, help_text="Their role or the source.")
    consent_recorded = models.BooleanField(
        "consent recorded",
        default=False,
        help_text="Tick when the person named has agreed, in writing, to appear on the public "
        "page. Not public.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case_study", "order", "pk"]

    def __str__(self) -> str:
        return f"“{self.text[:50]}” – {self.attribution}"


class Contact(models.Model):
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True, help_text="A person or team; optional.")
    role = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    social_handle = models.CharField(max_length=100, blank=True, help_text="e.g. '@WessexAHSN'.")
    consent_recorded = models.BooleanField(
        "consent recorded",
        default=False,
        help_text="Tick when the person named has agreed, in writing, to appear on the public "
        "page. Not public.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case_study", "order", "pk"]

    def __str__(self) -> str:
        return self.name or self.email or self.website or self.social_handle or "Contact"
