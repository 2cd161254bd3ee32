"""Improvement measures: a series of values over time, charted as NHS England's "Making Data
Count" XmR charts (``measures.spc`` does the statistics, ``measures.svg`` draws them).

Not to be confused with ``programmes.Measure``, a national programme's published target text.
An improvement measure is local data: one value per week, month or quarter.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from collaboratives.models import Organisation
from core.history import HistoricalRecords
from core.publishing import Publishable, public_listing_indexes
from measures import spc
from programmes.models import Programme, Workstream


class Direction(models.TextChoices):
    INCREASE = spc.Direction.INCREASE.value, "Higher is better"
    DECREASE = spc.Direction.DECREASE.value, "Lower is better"
    NEITHER = spc.Direction.NEITHER.value, "Neither: no direction is better"


class Frequency(models.TextChoices):
    WEEKLY = spc.Frequency.WEEKLY.value, "Weekly"
    MONTHLY = spc.Frequency.MONTHLY.value, "Monthly"
    QUARTERLY = spc.Frequency.QUARTERLY.value, "Quarterly"


class Measure(Publishable):
    """A local improvement measure and its data (unlike ``programmes.Measure``, which is the
    text of a national target)."""

    name = models.CharField(
        max_length=200,
        help_text="What is measured, e.g. 'Patients with a NEWS2 score on admission'. Public.",
    )
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Used in the public web address."
    )
    definition = models.TextField(
        help_text="How the value is worked out: what is counted, who is included, what the "
        "numerator and denominator are. Public."
    )
    unit = models.CharField(
        max_length=40,
        blank=True,
        help_text="Shown after every value, e.g. '%', 'falls', 'per 1,000 bed days'. Public.",
    )
    direction = models.CharField(
        "improvement direction",
        max_length=10,
        choices=Direction.choices,
        default=Direction.INCREASE,
        help_text="Which way is better. It decides whether an unusual value is shown as an "
        "improvement or a concern.",
    )
    target = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Optional. With a target the chart shows whether it is reliably met. Public.",
    )
    target_from = models.DateField(
        null=True,
        blank=True,
        help_text="Optional: the date the target applies from. Until the data reach it, the "
        "chart gives no judgement on the target.",
    )
    data_source = models.CharField(
        max_length=300, help_text="Where the figures come from, e.g. 'Trust incident system'."
    )
    frequency = models.CharField(
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.MONTHLY,
        help_text="How often there is a value. Months and quarters are stored as their first day.",
    )
    baseline_points = models.PositiveSmallIntegerField(
        "baseline length",
        null=True,
        blank=True,
        help_text="Optional: work out the mean and limits from only the first N points of "
        "each phase (12 to 20 is usual). Empty: use every point.",
    )
    is_illustrative = models.BooleanField(
        "illustrative figures",
        default=False,
        help_text="Tick for made-up demonstration data. Every page showing this measure says "
        "so clearly.",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="improvement_measures",
        help_text="The collaborative that owns this measure.",
    )
    programmes = models.ManyToManyField(Programme, blank=True, related_name="improvement_measures")
    workstreams = models.ManyToManyField(
        Workstream, blank=True, related_name="improvement_measures"
    )

    history = HistoricalRecords(m2m_fields=["programmes", "workstreams"])

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "improvement measure"
        permissions = [("publish_measure", "Can publish, schedule, unpublish and archive")]
        indexes = public_listing_indexes("measure")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.baseline_points is not None and self.baseline_points < 2:
            raise ValidationError({"baseline_points": "A baseline needs at least 2 points."})

    def get_absolute_url(self) -> str:
        return reverse("measures:detail", kwargs={"slug": self.slug})

    def analysis(self) -> spc.SeriesResult:
        """The XmR result of the stored series (prefetch ``data_points`` and
        ``phase_changes`` when analysing many measures). Computed once per instance."""
        cached = getattr(self, "_analysis", None)
        if cached is None:
            points = sorted(self.data_points.all(), key=lambda point: point.period)
            cached = self.analyse(points, [change.date for change in self.phase_changes.all()])
            self._analysis = cached
        return cached

    def analyse(self, points, rebase_dates) -> spc.SeriesResult:
        """The XmR result of any series, with this measure's settings (the admin previews
        pasted data through it)."""
        target = self.target
        if target is not None and self.target_from is not None:
            last = max((point.period for point in points), default=None)
            if last is None or last < self.target_from:
                target = None
        return spc.analyse(
            points,
            direction=self.direction,
            target=target,
            rebase_dates=rebase_dates,
            baseline=self.baseline_points,
            frequency=self.frequency,
        )

    def format_value(self, value) -> str:
        text = spc.format_number(float(value))
        if self.unit == "%":
            return f"{text}%"
        return f"{text} {self.unit}".strip()


class DataPoint(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="data_points")
    period = models.DateField(
        help_text="The week's date, or the first day of the month or quarter."
    )
    value = models.DecimalField(max_digits=14, decimal_places=4)
    numerator = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True, help_text="Optional."
    )
    denominator = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True, help_text="Optional."
    )
    annotation = models.CharField(
        max_length=300,
        blank=True,
        help_text="Optional note shown on the chart, e.g. 'New screening tool introduced'. Public.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period"]
        verbose_name = "data point"
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="datapoint_unique_period"),
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m-%d}: {self.value.normalize():f}"

    @property
    def text(self) -> str:
        """The annotation, as ``measures.svg`` reads annotations."""
        return self.annotation


class PhaseChange(models.Model):
    """A rebase: the mean and limits are worked out afresh from this date, e.g. after a
    change to the process that is known to have stuck."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="phase_changes")
    date = models.DateField(help_text="The first period of the new phase.")
    reason = models.CharField(max_length=300, help_text="Why the limits were recalculated. Public.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "date"]
        verbose_name = "recalculation of limits"
        verbose_name_plural = "recalculations of limits"
        constraints = [
            models.UniqueConstraint(fields=["measure", "date"], name="phasechange_unique_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}: {self.reason}"
