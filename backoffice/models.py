"""Staff profiles: which collaborative a person works for."""

from django.conf import settings
from django.db import models


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    organisation = models.ForeignKey(
        "collaboratives.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text="The collaborative this person works for. Leave empty for network "
        "administrators, who work across all of them.",
    )

    class Meta:
        verbose_name = "staff profile"

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation or 'whole network'})"


def organisations():
    """Every collaborative a staff member may belong to (the model is the content layer's)."""
    return StaffProfile._meta.get_field("organisation").related_model._default_manager.all()
