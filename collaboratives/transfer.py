"""Bulk import/export (CSV, XLSX) of contact details and coverage through django-import-export.

The admin's import page always shows a dry-run preview of every row (new, changed, skipped,
errors) and writes nothing until the user confirms. Organisations, programmes and themes are
referred to by their slugs so files stay readable and stable between environments.
"""

from import_export.fields import Field
from import_export.resources import ModelResource
from import_export.widgets import ForeignKeyWidget

from collaboratives.models import ContactDetail, Coverage, Organisation


def organisation_field() -> Field:
    return Field(
        attribute="organisation",
        column_name="organisation",
        widget=ForeignKeyWidget(Organisation, field="slug"),
    )


class ContactDetailResource(ModelResource):
    organisation = organisation_field()

    class Meta:
        model = ContactDetail
        fields = ["organisation", "kind", "value", "is_current", "verified", "source", "order"]
        import_id_fields = ["organisation", "kind", "value"]
        skip_unchanged = True
        report_skipped = True


class CoverageResource(ModelResource):
    organisation = organisation_field()

    class Meta:
        model = Coverage
        fields = ["organisation", "kind", "value", "note"]
        import_id_fields = ["organisation", "kind", "value"]
        skip_unchanged = True
        report_skipped = True
