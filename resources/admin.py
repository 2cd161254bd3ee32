from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import (
    EditorialAdminMixin,
    EditorialForm,
    PublishedYearFilter,
    StampedAdminMixin,
    VersionedAdminMixin,
)
from core.publishing import PublicationStatus
from core.richtext import is_blank
from resources.models import Resource, Topic
from resources.views import ResourceDetailView

NO_HTML_SUMMARY = (
    "A document needs an HTML description, so everyone can read what it says without opening "
    "it, or a recorded accessibility exemption. Add one before publishing."
)


class ResourceForm(EditorialForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") != PublicationStatus.PUBLISHED:
            return cleaned
        has_file = bool(cleaned.get("file")) and not cleaned.get("url")
        described = not is_blank(cleaned.get("description")) or bool(
            (cleaned.get("accessibility_exemption") or "").strip()
        )
        if has_file and not described:
            raise ValidationError(NO_HTML_SUMMARY, code="no_html_summary")
        return cleaned


@admin.register(Resource)
class ResourceAdmin(EditorialAdminMixin, StampedAdminMixin, SimpleHistoryAdmin):
    form = ResourceForm
    preview_view = ResourceDetailView
    list_display = ["title", "kind", "organisation", "status", "publish_from", "file_or_link"]
    list_filter = [
        "status",
        PublishedYearFilter,
        "kind",
        "programmes",
        "topics",
        "care_settings",
        "organisation",
    ]
    search_fields = ["title", "summary", "slug"]
    list_select_related = ["organisation"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organisation", "programmes", "topics", "care_settings", "measures"]
    readonly_fields = [
        "preview_link",
        "file_type",
        "file_size",
        "created_at",
        "updated_at",
        "created_by",
        "updated_by",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "organisation", "summary", "description"]}),
        (
            "File or link",
            {
                "fields": [
                    "file",
                    "url",
                    "file_type",
                    "file_size",
                    "published_on",
                    "accessibility_exemption",
                ]
            },
        ),
        (
            "Classification",
            {
                "fields": ["programmes", "topics", "care_settings", "measures"],
                "description": "Type to search the list, then choose; you can choose several. "
                "Public: readers filter resources by these.",
            },
        ),
        ("Publication", {"fields": ["status", "publish_from", "preview_link"]}),
        ("Review", {"fields": ["last_reviewed", "review_by"]}),
        (
            "History",
            {
                "fields": ["created_at", "created_by", "updated_at", "updated_by"],
                "classes": ["collapse"],
            },
        ),
    ]

    def workflow_refusal(self, request, obj, to_status) -> str:
        if to_status == PublicationStatus.PUBLISHED and obj.needs_html_summary:
            return NO_HTML_SUMMARY
        return ""

    @admin.display(description="File or link")
    def file_or_link(self, obj):
        return obj.file_description or "Link"


@admin.register(Topic)
class TopicAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
