from django.contrib import admin

from casestudies.models import CaseStudy, Contact, ImpactFigure, Quote, Theme
from psc_portal.admin_mixins import StampedAdminMixin


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
class CaseStudyAdmin(StampedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "organisation", "status", "publish_from", "updated_at"]
    list_filter = ["status", "programmes", "organisation", "themes", "care_settings"]
    search_fields = ["title", "summary", "slug"]
    list_select_related = ["organisation"]
    date_hierarchy = "publish_from"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organisation", "programmes", "workstreams", "care_settings", "themes"]
    readonly_fields = ["created_at", "updated_at", "created_by", "updated_by"]
    inlines = [ImpactFigureInline, QuoteInline, ContactInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "organisation", "summary"]}),
        ("The story", {"fields": ["issue", "what_we_did", "impact", "next_steps"]}),
        ("Classification", {"fields": ["programmes", "workstreams", "care_settings", "themes"]}),
        ("Publication", {"fields": ["status", "publish_from"]}),
        (
            "History",
            {
                "fields": ["created_at", "created_by", "updated_at", "updated_by"],
                "classes": ["collapse"],
            },
        ),
    ]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
