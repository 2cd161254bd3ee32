from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import EditorialAdminMixin, StampedAdminMixin
from events.models import Event
from events.views import EventDetailView


@admin.register(Event)
class EventAdmin(EditorialAdminMixin, StampedAdminMixin, SimpleHistoryAdmin):
    preview_view = EventDetailView
    list_display = ["title", "start", "format", "organisation", "status", "is_illustrative"]
    list_filter = ["status", "format", "programmes", "organisation", "is_illustrative"]
    search_fields = ["title", "summary", "slug"]
    list_select_related = ["organisation"]
    date_hierarchy = "start"
    ordering = ["-start"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organisation", "programmes", "care_settings", "topics", "materials"]
    readonly_fields = ["preview_link", "created_at", "updated_at", "created_by", "updated_by"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "organisation", "summary", "description"]}),
        ("When", {"fields": ["start", "end", "is_cancelled"]}),
        (
            "Where and how to take part",
            {"fields": ["format", "location", "booking_url", "capacity_note"]},
        ),
        ("Afterwards", {"fields": ["materials"]}),
        ("Classification", {"fields": ["programmes", "care_settings", "topics"]}),
        ("Publication", {"fields": ["status", "publish_from", "is_illustrative", "preview_link"]}),
        (
            "History",
            {
                "fields": ["created_at", "created_by", "updated_at", "updated_by"],
                "classes": ["collapse"],
            },
        ),
    ]
