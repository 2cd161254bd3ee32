"""Bulk import/export (CSV, XLSX) through django-import-export.

The admin's import page always shows a dry-run preview of every row (new, changed, skipped,
errors) and writes nothing until the user confirms. Organisations, programmes and themes are
referred to by their slugs so files stay readable and stable between environments.
"""

from import_export.fields import Field
from import_export.resources import ModelResource
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

from backoffice import roles
from casestudies.models import CaseStudy, Theme
from collaboratives.models import ContactDetail, Coverage, Organisation
from programmes.models import Programme
from psc_portal.publishing import PublicationStatus

EDITOR_STATUSES = (PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW)


def _organisation_field() -> Field:
    return Field(
        attribute="organisation",
        column_name="organisation",
        widget=ForeignKeyWidget(Organisation, field="slug"),
    )


class ContactDetailResource(ModelResource):
    organisation = _organisation_field()

    class Meta:
        model = ContactDetail
        fields = ["organisation", "kind", "value", "is_current", "verified", "source", "order"]
        import_id_fields = ["organisation", "kind", "value"]
        skip_unchanged = True
        report_skipped = True


class CoverageResource(ModelResource):
    organisation = _organisation_field()

    class Meta:
        model = Coverage
        fields = ["organisation", "kind", "value", "note"]
        import_id_fields = ["organisation", "kind", "value"]
        skip_unchanged = True
        report_skipped = True


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
        existing = CaseStudy.objects.filter(slug=row.get("slug")).first()
        if existing is not None and existing.organisation_id != own.pk:
            raise ValueError(f"The slug “{row.get('slug')}” belongs to another collaborative.")
        status = row.get("status") or PublicationStatus.DRAFT
        if status not in EDITOR_STATUSES and not roles.can_publish(user, CaseStudy):
            raise ValueError("Only a publisher can import a published or archived status.")

    organisation = _organisation_field()
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
