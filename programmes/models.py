"""The five National Patient Safety Improvement Programmes, their workstreams and measures,
and the shared care-setting vocabulary used by case studies and resources."""

from django.db import models
from django.urls import reverse

from core.history import HistoricalRecords
from core.models import ReferenceData, Reviewable, Vocabulary


class Principle(ReferenceData):
    """One of the four things every programme promotes (e.g. safety culture)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, help_text="One or two sentences. Public.")
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=["loaded_values"])

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ProgrammeStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    REFOCUSED = "refocused", "Refocused"
    CLOSED = "closed", "Closed"


class Programme(ReferenceData, Reviewable):
    slug = models.SlugField(max_length=80, unique=True, help_text="Used in the public web address.")
    name = models.CharField(max_length=120, help_text="e.g. 'Managing deterioration'. Public.")
    short_name = models.CharField(
        max_length=30, help_text="The sector's abbreviation, e.g. 'ManDetSIP'. Public."
    )
    summary = models.TextField(help_text="One paragraph shown on lists and search results.")
    aims = models.TextField(help_text="What the programme sets out to achieve. Public.")
    principles = models.ManyToManyField(Principle, blank=True, related_name="programmes")
    status = models.CharField(
        max_length=20, choices=ProgrammeStatus.choices, default=ProgrammeStatus.ACTIVE
    )
    status_from = models.DateField(
        "status since",
        null=True,
        blank=True,
        help_text="When the status began, if a source gives it. Shown as month and year: "
        "if only the month is known, enter its first day. Public.",
    )
    status_note = models.TextField(
        blank=True,
        help_text="Why the status is what it is, in a sentence, e.g. 'Staff redeployed to the "
        "COVID-19 response'. Shown after the status and date. Public.",
    )
    contact_name = models.CharField(
        max_length=200, blank=True, help_text="Who to contact about this programme locally."
    )
    contact_email = models.EmailField(blank=True, help_text="Leave empty unless verified.")
    order = models.PositiveSmallIntegerField(default=0, help_text="Position in lists.")

    history = HistoricalRecords(excluded_fields=["loaded_values"], m2m_fields=["principles"])

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:detail", kwargs={"slug": self.slug})


class Workstream(ReferenceData):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="workstreams")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    aim = models.TextField(blank=True, help_text="What this workstream aims to change. Public.")
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=["loaded_values"])

    class Meta:
        ordering = ["programme", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="workstream_unique_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.name}: {self.name}"


class Measure(ReferenceData):
    """A published aim or target. Targets change year to year, so each names its period and
    source; conflicting sources are kept side by side rather than reconciled."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="measures")
    workstream = models.ForeignKey(
        Workstream, on_delete=models.CASCADE, null=True, blank=True, related_name="measures"
    )
    key = models.SlugField(max_length=100, help_text="Stable identifier used by the data loader.")
    label = models.CharField(max_length=300, help_text="What is measured. Public.")
    target = models.CharField(max_length=200, help_text="The target as published, e.g. '≥80%'.")
    period = models.CharField(
        max_length=100, help_text="The period the target belongs to, e.g. 'by March 2024'."
    )
    target_date = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=300, help_text="Who published the target.")
    source_url = models.URLField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=["loaded_values"])

    class Meta:
        ordering = ["programme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="measure_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.period})"


class CareSetting(Vocabulary):
    """Where care happens (care homes, ambulance services...); shared by content types."""

    history = HistoricalRecords(excluded_fields=["loaded_values"])

    class Meta(Vocabulary.Meta):
        pass
