"""Staff profiles (which collaborative a person works for) and change history."""

from django.conf import settings
from django.db import models
from simple_history import register

from casestudies.models import CaseStudy, Contact, ImpactFigure, Quote, Theme
from collaboratives.models import ContactDetail, Coverage, Organisation
from programmes.models import CareSetting, Measure, Principle, Programme, Workstream
from resources.models import Resource, Topic


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    organisation = models.ForeignKey(
        Organisation,
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


# Every change to content and reference data is recorded: who, when and the values, so any
# earlier version can be compared and restored from the admin's "History" page. The loader's
# snapshot of reference data and the search index columns are bookkeeping, not content.
_NOT_CONTENT = {"loaded_values", "search_vector"}
_M2M = {
    CaseStudy: ["programmes", "workstreams", "care_settings", "themes"],
    Resource: ["programmes", "topics", "care_settings"],
    Programme: ["principles"],
}
for _model in (
    CaseStudy, ImpactFigure, Quote, Contact, Theme,
    Resource, Topic,
    Organisation, ContactDetail, Coverage,
    Programme, Workstream, Measure, Principle, CareSetting,
):  # fmt: skip
    _excluded = [f.name for f in _model._meta.fields if f.name in _NOT_CONTENT]
    register(_model, app="backoffice", m2m_fields=_M2M.get(_model, []), excluded_fields=_excluded)
