from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import (
    EditorialAdminMixin,
    PublishedYearFilter,
    StampedAdminMixin,
    VersionedAdminMixin,
)
from resources.models import Resource, Topic
from resources.views import ResourceDetailView


@admin.register(Resource)
class ResourceAdmin(EditorialAdminMixin, StampedAdminMixin, SimpleHistoryAdmin):
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
    autocomplete_fields = ["organisation", "programmes", "topics", "care_settings"]
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
        ("File or link", {"fields": ["file", "url", "file_type", "file_size", "published_on"]}),
        ("Classification", {"fields": ["programmes", "topics", "care_settings"]}),
        ("Publication", {"fields": ["status", "publish_from", "preview_link"]}),
        (
            "History",
            {
                "fields": ["created_at", "created_by", "updated_at", "updated_by"],
                "classes": ["collapse"],
            },
        ),
    ]

    @admin.display(description="File or link")
    def file_or_link(self, obj):
        return obj.file_description or "Link"


@admin.register(Topic)
class TopicAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
