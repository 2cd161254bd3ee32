"""Old addresses that still reach the right page: rows staff manage (a former site's pages,
renamed content) and the automatic rows written when a published item's slug changes."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from simple_history.models import HistoricalRecords


def normalise_old_path(value: str) -> str:
    """'https://old.example/a/b?x=1' and 'a/b' become '/a/b' (a path, no host or query)."""
    value = value.strip()
    if value.lower().startswith(("http://", "https://")):
        value = urlsplit(value).path or "/"
    value = value.split("?", 1)[0].split("#", 1)[0]
    return value if value.startswith("/") else f"/{value}"


def is_full_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


class Redirect(models.Model):
    old_path = models.CharField(
        "old address",
        max_length=500,
        unique=True,
        help_text="The path people still use, e.g. '/our-work/news.php'. A full address is cut "
        "to its path. Used only when no page answers at that address.",
    )
    new_path = models.CharField(
        "new address",
        max_length=1000,
        help_text="Where to send them: a path on this site ('/resources/') or a full web "
        "address ('https://…'). The visitor's query string is kept.",
    )
    note = models.CharField(
        max_length=300, blank=True, help_text="Why this redirect exists. Staff only."
    )
    is_automatic = models.BooleanField(
        default=False,
        editable=False,
        help_text="Written by the portal when a published item's web address changed.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["old_path"]

    def __str__(self) -> str:
        return f"{self.old_path} → {self.new_path}"

    def clean(self):
        super().clean()
        self.old_path = normalise_old_path(self.old_path)
        self.new_path = self.new_path.strip()
        errors = {}
        if is_full_url(self.new_path):
            try:
                URLValidator(schemes=["http", "https"])(self.new_path)
            except ValidationError:
                errors["new_path"] = "Give a full web address (https://…) or a path starting /."
        elif not self.new_path.startswith("/"):
            errors["new_path"] = "Give a path starting / or a full web address (https://…)."
        new_path_only = self.new_path.split("?", 1)[0].split("#", 1)[0]
        if not errors and not is_full_url(self.new_path) and new_path_only == self.old_path:
            errors["new_path"] = "A redirect to the same address would loop."
        others = Redirect.objects.exclude(pk=self.pk)
        if "new_path" not in errors and not is_full_url(self.new_path):
            onward = others.filter(old_path=new_path_only).first()
            if onward:
                errors["new_path"] = (
                    f"{new_path_only} is itself redirected (to {onward.new_path}): point "
                    "straight at the final address, so visitors are not sent through a chain."
                )
        pointing_here = others.filter(new_path=self.old_path).first()
        if pointing_here:
            errors["old_path"] = (
                f"Another redirect sends {pointing_here.old_path} to this address: change that "
                "one to point at the final address first, so there is no chain or loop."
            )
        if errors:
            raise ValidationError(errors)
