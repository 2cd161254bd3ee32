"""The 15 organisations (AHSNs, now Health Innovation Networks), the PSC each hosts, and the
coverage rows the "find your collaborative" lookup reads."""

import re

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.models import ReferenceData, Reviewable, ReviewQuerySet
from core.publishing import ScopedQuerySet


class OrganisationQuerySet(models.QuerySet):
    def home(self):
        return self.filter(slug=settings.HOME_COLLABORATIVE)


class Organisation(ReferenceData):
    acronym = models.CharField(max_length=20, help_text="Short name used in lists, e.g. 'Wessex'.")
    slug = models.SlugField(max_length=80, unique=True, help_text="Used in the public web address.")
    name = models.CharField(
        max_length=200, help_text="Current name, e.g. 'Health Innovation Wessex'. Public."
    )
    former_names = models.TextField(
        blank=True,
        help_text="Earlier names, one per line (e.g. the AHSN name used 2013–2023). Public and "
        "searchable, so people who know the old name still find the organisation.",
    )
    psc_name = models.CharField(
        max_length=200, help_text="Name of the Patient Safety Collaborative it hosts. Public."
    )
    host_organisation = models.CharField(
        max_length=200,
        blank=True,
        help_text="The legal body hosting the network, if known. Leave empty when unknown.",
    )
    territory = models.TextField(
        help_text="The area covered, described in words for the public page."
    )
    territory_notes = models.TextField(
        blank=True,
        help_text="Boundary caveats (areas that are genuinely ambiguous). Public.",
    )
    summary = models.TextField(blank=True, help_text="A sentence or two about the PSC. Public.")

    objects = OrganisationQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["loaded_values"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["acronym"], name="organisation_unique_acronym"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("collaboratives:detail", kwargs={"slug": self.slug})

    @property
    def former_name_list(self) -> list[str]:
        return [line.strip() for line in self.former_names.splitlines() if line.strip()]

    @property
    def is_home(self) -> bool:
        return self.slug == settings.HOME_COLLABORATIVE


class ContactKind(models.TextChoices):
    WEBSITE = "website", "Website"
    PSC_WEBSITE = "psc_website", "PSC website"
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Phone"
    ADDRESS = "address", "Postal address"
    X_TWITTER = "x_twitter", "X (Twitter)"
    LINKEDIN = "linkedin", "LinkedIn"


class ContactDetailQuerySet(ScopedQuerySet, ReviewQuerySet):
    def in_service(self):
        """Former websites and handles are kept for recognition, not reviewed."""
        return self.filter(is_current=True)


class ContactDetail(ReferenceData, Reviewable):
    """One contact fact (a website, an e-mail address...) with where it came from."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contact_details"
    )
    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    value = models.CharField(
        max_length=500,
        help_text="The address, number or handle exactly as the public should use it.",
    )
    is_current = models.BooleanField(
        default=True,
        help_text="Untick for a former website or handle kept so old links can be recognised.",
    )
    verified = models.BooleanField(
        default=False,
        help_text="Tick only when checked against an authoritative source. Unverified details "
        "are shown with a warning.",
    )
    source = models.CharField(
        max_length=300, blank=True, help_text="Where this fact was found (document or web page)."
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = ContactDetailQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["loaded_values"])

    class Meta:
        ordering = ["organisation", "kind", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "value"], name="contactdetail_unique_value"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


_FULL_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$")
# Without a space, a sector is only unambiguous when its district has a second digit or letter.
_SECTOR_WITHOUT_SPACE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d])(\d)$")


def normalise_postcode(text: str) -> str:
    """Upper-case a postcode or prefix with one space before the inward part.

    "so16 6yd" and "SO166YD" become "SO16 6YD"; "so16 6" and "SO166" become "SO16 6";
    "m1 6" stays the sector "M1 6" because the space says where the district ends.
    """
    parts = text.upper().split()
    if len(parts) == 2:
        return f"{parts[0]} {parts[1]}"
    compact = "".join(parts)
    for pattern in (_FULL_POSTCODE, _SECTOR_WITHOUT_SPACE):
        match = pattern.match(compact)
        if match:
            return f"{match.group(1)} {match.group(2)}"
    return compact


def normalise_place(text: str) -> str:
    return " ".join(text.replace("&", "and").lower().split())


class CoverageKind(models.TextChoices):
    POSTCODE_AREA = "postcode_area", "Postcode area (e.g. SO)"
    POSTCODE_DISTRICT = "postcode_district", "Postcode district (e.g. SO16)"
    POSTCODE_SECTOR = "postcode_sector", "Postcode sector (e.g. SO16 6)"
    ICS = "ics", "Integrated care system"
    COUNTY = "county", "County or unitary area"
    TOWN = "town", "Town or city"


POSTCODE_KINDS = (
    CoverageKind.POSTCODE_AREA,
    CoverageKind.POSTCODE_DISTRICT,
    CoverageKind.POSTCODE_SECTOR,
)


class Coverage(ReferenceData):
    """A postcode prefix or place name that belongs to an organisation's territory.

    For postcodes the longest matching prefix wins, so district rows refine an area that
    straddles two territories.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="coverage"
    )
    kind = models.CharField(max_length=20, choices=CoverageKind.choices)
    value = models.CharField(
        max_length=200,
        help_text="A postcode prefix ('SO', 'SO16', 'SO16 6') or a place name as people write it.",
    )
    normalised = models.CharField(max_length=200, editable=False, db_index=True)
    note = models.CharField(
        max_length=300, blank=True, help_text="Why this row exists, e.g. a boundary caveat."
    )

    history = HistoricalRecords(excluded_fields=["loaded_values"])

    class Meta:
        ordering = ["organisation", "kind", "normalised"]
        verbose_name_plural = "coverage"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "normalised"], name="coverage_unique_row"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value} ({self.get_kind_display()}) → {self.organisation.acronym}"

    def save(self, *args, **kwargs):
        self.normalised = self.normalise(self.kind, self.value)
        super().save(*args, **kwargs)

    @staticmethod
    def normalise(kind: str, value: str) -> str:
        if kind in POSTCODE_KINDS:
            return normalise_postcode(value)
        return normalise_place(value)
