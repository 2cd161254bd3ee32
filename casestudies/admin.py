from django.contrib import admin
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from backoffice.transfer import CaseStudyMetadataResource
from casestudies.models import CaseStudy, Contact, ImpactFigure, Quote, Theme
from psc_portal.admin_mixins import EditorialAdminMixin, StampedAdminMixin, VersionedAdminMixin


class ImpactFigureInline(admin.TabularInline):
    model = ImpactFigure
    extra = 0
    fields = ["label", "value", "unit", "baseline", "target", "period", "source", "order"]


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    fields = ["text", "attribution", "role", "order"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "role", "email", "phone", "website", "social_handle", "order"]


@admin.register(CaseStudy)
class CaseStudyAdmin(EditorialAdminMixin, StampedAdminMixin, ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [CaseStudyMetadataResource]
    list_display = ["title", "organisation", "status", "publish_from", "updated_at"]
    list_filter = ["status", "programmes", "organisation", "themes", "care_settings"]
    search_fields = ["title", "summary", "slug"]
    list_select_related = ["organisation"]
    date_hierarchy = "publish_from"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organisation", "programmes", "workstreams", "care_settings", "themes"]
    readonly_fields = ["preview_link", "created_at", "updated_at", "created_by", "updated_by"]
    inlines = [ImpactFigureInline, QuoteInline, ContactInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "organisation", "summary"]}),
        ("The story", {"fields": ["issue", "what_we_did", "impact", "next_steps"]}),
        ("Picture", {"fields": ["image", "image_alt", "image_decorative"]}),
        ("Classification", {"fields": ["programmes", "workstreams", "care_settings", "themes"]}),
        ("Publication", {"fields": ["status", "publish_from", "preview_link"]}),
        (
            "History",
            {
                "fields": ["created_at", "created_by", "updated_at", "updated_by"],
                "classes": ["collapse"],
            },
        ),
    ]


@admin.register(Theme)
class ThemeAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
