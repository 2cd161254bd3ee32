from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from collaboratives.models import normalise_postcode
from postcodes import bulk
from postcodes.models import ICB, ICBMapping, Postcode, PostcodeRelease


class ICBMappingInline(admin.TabularInline):
    model = ICBMapping
    extra = 0
    fields = ["organisation", "valid_from", "valid_to", "note"]
    autocomplete_fields = ["organisation"]


@admin.register(ICB)
class ICBAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "ods_code", "covered_by", "valid_from", "valid_to"]
    search_fields = ["name", "code", "ods_code"]
    list_filter = ["mappings__organisation"]
    inlines = [ICBMappingInline]

    def get_queryset(self, request):
        mappings = ICBMapping.objects.in_force(timezone.localdate()).select_related("organisation")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("mappings", queryset=mappings, to_attr="current"))
        )

    @admin.display(description="Collaborative today")
    def covered_by(self, obj):
        names = [row.organisation.acronym for row in obj.current if row.organisation_id]
        return ", ".join(names) or "Unassigned"


@admin.register(ICBMapping)
class ICBMappingAdmin(SimpleHistoryAdmin):
    list_display = ["icb", "organisation", "valid_from", "valid_to", "note"]
    list_filter = ["organisation"]
    search_fields = ["icb__name", "icb__code", "organisation__name", "organisation__acronym"]
    list_select_related = ["icb", "organisation"]
    autocomplete_fields = ["icb", "organisation"]


@admin.register(PostcodeRelease)
class PostcodeReleaseAdmin(admin.ModelAdmin):
    list_display = ["name", "is_current", "rows", "live_rows", "imported_at", "seconds"]
    readonly_fields = [field.name for field in PostcodeRelease._meta.fields]

    def has_add_permission(self, request):
        return False  # releases come from manage.py import_postcodes

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BulkLookupForm(forms.Form):
    file = forms.FileField(
        label="CSV file of postcodes",
        help_text=f"Up to {bulk.MAX_BYTES // (1024 * 1024)} MB and {bulk.MAX_ROWS:,} rows. The "
        "postcodes are read from the column named postcode (or pcds, pcd), otherwise from the "
        "first column.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > bulk.MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {bulk.MAX_BYTES // (1024 * 1024)} MB. "
                "Split it into smaller files."
            )
        if Path(upload.name).suffix.lower() not in (".csv", ".txt"):
            raise forms.ValidationError(
                "Upload a CSV file (.csv). In a spreadsheet, use Save As and choose CSV."
            )
        try:
            self.table = bulk.read_csv(upload.read())
        except bulk.BulkFileError as error:
            raise forms.ValidationError(str(error)) from error
        return upload


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    """The imported directory, read-only, and the bulk lookup of a file of postcodes."""

    list_display = ["postcode", "district", "icb_code", "country_code", "terminated"]
    search_fields = ["=key"]
    search_help_text = "A full postcode, e.g. SO16 6YD."
    show_full_result_count = False
    change_list_template = "admin/postcodes/postcode/change_list.html"

    def get_search_results(self, request, queryset, search_term):
        compact = normalise_postcode(search_term).replace(" ", "")
        return super().get_search_results(request, queryset, compact)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "lookup-file/",
                self.admin_site.admin_view(self.bulk_lookup_view),
                name="postcodes_postcode_bulk_lookup",
            ),
            *super().get_urls(),
        ]

    def bulk_lookup_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = BulkLookupForm(request.POST or None, request.FILES or None)
        if request.method == "POST":
            if form.is_valid():
                name = Path(form.cleaned_data["file"].name).stem[:80] or "postcodes"
                response = HttpResponse(
                    bulk.annotated_csv(form.table), content_type="text/csv; charset=utf-8"
                )
                response["Content-Disposition"] = (
                    f'attachment; filename="{name}-collaboratives.csv"'
                )
                return response
            self.message_user(request, "The file was not looked up: see below.", messages.ERROR)
        release = PostcodeRelease.objects.filter(is_current=True).first()
        context = {
            **self.admin_site.each_context(request),
            "title": "Look up a file of postcodes",
            "opts": self.model._meta,
            "form": form,
            "release": release,
            "changelist_url": reverse("admin:postcodes_postcode_changelist"),
        }
        return TemplateResponse(request, "admin/postcodes/bulk_lookup.html", context)
