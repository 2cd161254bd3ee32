"""Integrated care boards (ICBs), the collaborative each belongs to over time, and the ONS
postcode directory behind the exact "find your collaborative" answer.

The directory tables (``Postcode``, ``AreaShare``) are written only by the importer
(``manage.py import_postcodes``), which replaces them whole in one transaction; ICBs and their
mapping rows are reference data that network administrators correct in the admin.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from collaboratives.models import Organisation

ENGLAND = "E92000001"
COUNTRIES = {
    "E92000001": "England",
    "W92000004": "Wales",
    "S92000003": "Scotland",
    "N92000002": "Northern Ireland",
    "L93000001": "the Channel Islands",
    "M83000003": "the Isle of Man",
}


def country_name(code: str) -> str:
    return COUNTRIES.get(code, "")


class ICB(models.Model):
    code = models.CharField(
        max_length=9,
        unique=True,
        help_text="ONS code: E54 and six digits, e.g. E54000042, as in the icb column of the "
        "ONS postcode directory. A board that merges or changes shape gets a new code.",
    )
    ods_code = models.CharField(
        max_length=5,
        blank=True,
        verbose_name="ODS code",
        help_text="NHS Organisation Data Service code, e.g. QRL. Leave empty when unknown.",
    )
    name = models.CharField(
        max_length=200,
        help_text="The area the board covers, e.g. 'Hampshire and the Isle of Wight'. Public: "
        "the lookup names the board as 'NHS <name> Integrated Care Board'.",
    )
    valid_from = models.DateField(
        null=True, blank=True, help_text="First day this code was used. Empty: not known."
    )
    valid_to = models.DateField(
        null=True, blank=True, help_text="Last day this code was used. Empty: still in use."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "code"]
        verbose_name = "integrated care board"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="icb_valid_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def full_name(self) -> str:
        """The statutory form: 'NHS Dorset Integrated Care Board'."""
        name = self.name.removeprefix("NHS ").removesuffix(" Integrated Care Board")
        return f"NHS {name} Integrated Care Board"


class ICBMappingQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date):
        """Mapping rows whose dates include ``on`` (both ends inclusive, empty = open)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        )


class ICBMapping(models.Model):
    """Which collaborative a board's postcodes belong to, from one date to another."""

    icb = models.ForeignKey(
        ICB, on_delete=models.CASCADE, related_name="mappings", verbose_name="ICB"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="icb_mappings",
        help_text="Leave empty when the board is split between collaboratives: the lookup "
        "then answers from the postcode coverage rows of the collaboratives.",
    )
    valid_from = models.DateField(
        null=True, blank=True, help_text="First day this row applies. Empty: from the start."
    )
    valid_to = models.DateField(
        null=True, blank=True, help_text="Last day this row applies. Empty: until further notice."
    )
    note = models.TextField(
        blank=True,
        help_text="For staff only, never shown to the public: why the board is mapped this "
        "way, or why it is left unassigned.",
    )

    history = HistoricalRecords()
    objects = ICBMappingQuerySet.as_manager()

    class Meta:
        ordering = ["icb__name", "valid_from", "pk"]
        verbose_name = "ICB mapping"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="icbmapping_valid_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        target = self.organisation.acronym if self.organisation_id else "unassigned"
        return f"{self.icb.code} → {target}"


class PostcodeRelease(models.Model):
    """One import of an ONS postcode directory release; the current one answers lookups."""

    name = models.CharField(
        max_length=200, help_text="Shown to the public, e.g. 'ONS Postcode Directory, May 2026'."
    )
    release_date = models.DateField(null=True, blank=True)
    file_name = models.CharField(max_length=300)
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the imported file.")
    rows = models.PositiveIntegerField(help_text="Postcodes in the file, retired ones included.")
    live_rows = models.PositiveIntegerField(help_text="Postcodes not retired.")
    imported_at = models.DateTimeField()
    seconds = models.FloatField(help_text="How long the import took.")
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["-imported_at"]
        get_latest_by = "imported_at"
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="postcoderelease_one_current",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Postcode(models.Model):
    """One postcode of the current release. Replaced whole by each import."""

    key = models.CharField(max_length=7, primary_key=True, help_text="Without spaces: SO166YD.")
    postcode = models.CharField(max_length=8, help_text="As written: SO16 6YD.")
    district = models.CharField(max_length=4)
    sector = models.CharField(max_length=6)
    icb_code = models.CharField(max_length=9, blank=True)
    country_code = models.CharField(max_length=9, blank=True)
    introduced = models.DateField(null=True, blank=True)
    terminated = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["key"]
        indexes = [
            models.Index(fields=["district"], name="postcode_district_idx"),
            models.Index(fields=["sector"], name="postcode_sector_idx"),
        ]

    def __str__(self) -> str:
        return self.postcode

    @property
    def country(self) -> str:
        return country_name(self.country_code)


class AreaKind(models.TextChoices):
    AREA = "area", "Postcode area"
    DISTRICT = "district", "Postcode district"
    SECTOR = "sector", "Postcode sector"


class AreaShare(models.Model):
    """How many live postcodes of an area, district or sector lie in each ICB.

    Counted at import time so that a district lookup is one indexed query.
    """

    kind = models.CharField(max_length=10, choices=AreaKind.choices)
    area = models.CharField(max_length=6)
    icb_code = models.CharField(max_length=9, blank=True)
    country_code = models.CharField(max_length=9, blank=True)
    postcodes = models.PositiveIntegerField()

    class Meta:
        ordering = ["kind", "area", "-postcodes"]
        indexes = [models.Index(fields=["kind", "area"], name="areashare_kind_area_idx")]

    def __str__(self) -> str:
        return f"{self.area}: {self.postcodes} in {self.icb_code or 'no ICB'}"
