from django.contrib import admin
from django.db.models import Count
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from collaboratives.models import ContactDetail, Coverage, Organisation
from collaboratives.transfer import ContactDetailResource, CoverageResource
from core.admin_mixins import ReviewAdminMixin, VersionedAdminMixin


class ContactDetailInline(admin.TabularInline):
    model = ContactDetail
    extra = 0
    fields = ["kind", "value", "is_current", "verified", "source", "review_by", "order"]


class CoverageInline(admin.TabularInline):
    model = Coverage
    extra = 0
    fields = ["kind", "value", "note"]
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "acronym", "psc_name", "contact_count", "coverage_count"]
    search_fields = ["name", "acronym", "former_names", "psc_name", "territory"]
    prepopulated_fields = {"slug": ["acronym"]}
    inlines = [ContactDetailInline, CoverageInline]
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "former_names", "psc_name"]}),
        ("About", {"fields": ["summary", "host_organisation"]}),
        ("Territory", {"fields": ["territory", "territory_notes"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _contacts=Count("contact_details", distinct=True),
                _coverage=Count("coverage", distinct=True),
            )
            .order_by("name")  # aggregation drops Meta.ordering; pagination needs an order
        )

    @admin.display(description="Contact details", ordering="_contacts")
    def contact_count(self, obj):
        return obj._contacts

    @admin.display(description="Coverage rows", ordering="_coverage")
    def coverage_count(self, obj):
        return obj._coverage


@admin.register(ContactDetail)
class ContactDetailAdmin(
    ReviewAdminMixin, VersionedAdminMixin, ImportExportMixin, SimpleHistoryAdmin
):
    actions = ["mark_reviewed"]
    resource_classes = [ContactDetailResource]
    list_display = ["value", "kind", "organisation", "is_current", "verified", "source"]
    list_filter = ["kind", "verified", "is_current", "organisation"]
    search_fields = ["value", "source", "organisation__name", "organisation__acronym"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]


@admin.register(Coverage)
class CoverageAdmin(VersionedAdminMixin, ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [CoverageResource]
    list_display = ["value", "kind", "organisation", "note"]
    list_filter = ["kind", "organisation"]
    search_fields = ["value", "normalised", "organisation__name", "organisation__acronym"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
