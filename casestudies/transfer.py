"""Bulk import/export (CSV, XLSX) of case-study metadata through django-import-export.

The admin's import page always shows a dry-run preview of every row (new, changed, skipped,
errors) and writes nothing until the user confirms. Organisations, programmes and themes are
referred to by their slugs so files stay readable and stable between environments.
"""

from import_export.fields import Field
from import_export.resources import ModelResource
from import_export.widgets import ManyToManyWidget

from casestudies.models import CaseStudy, Theme
from collaboratives.models import Organisation
from collaboratives.transfer import organisation_field
from core import roles
from core.publishing import EDITOR_STATUSES, PublicationStatus
from programmes.models import Programme


class CaseStudyMetadataResource(ModelResource):
    """Titles, ownership, status, dates and classification; the story text stays in the admin.

    Rows are checked against the importing user's role: staff import only their own
    collaborative's case studies, and only publishers may set a published or archived status.
    """

    def before_import_row(self, row, **kwargs):
        user = kwargs.get("user")
        if user is None or roles.is_network_administrator(user):
            return
        own = Organisation.objects.filter(pk=roles.organisation_id_of(user)).first()
        if own is None or row.get("organisation") != own.slug:
            raise ValueError(
                f"You can only import case studies of your own collaborative "
                f"(organisation “{own.slug if own else '–'}”)."
            )
        slug = row.get("slug")
        taken = CaseStudy.objects.filter(slug=slug).exists()
        if taken and not CaseStudy.objects.for_user(user).filter(slug=slug).exists():
            raise ValueError(f"The slug “{slug}” belongs to another collaborative.")
        status = row.get("status") or PublicationStatus.DRAFT
        if status not in EDITOR_STATUSES and not roles.can_publish(user, CaseStudy):
            raise ValueError("Only a publisher can import a published or archived status.")

    organisation = organisation_field()
    programmes = Field(
        attribute="programmes",
        column_name="programmes",
        widget=ManyToManyWidget(Programme, field="slug", separator="|"),
    )
    themes = Field(
        attribute="themes",
        column_name="themes",
        widget=ManyToManyWidget(Theme, field="slug", separator="|"),
    )

    class Meta:
        model = CaseStudy
        fields = [
            "slug",
            "title",
            "organisation",
            "status",
            "publish_from",
            "summary",
            "programmes",
            "themes",
        ]
        import_id_fields = ["slug"]
        skip_unchanged = True
        report_skipped = True
