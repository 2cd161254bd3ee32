from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import ReviewAdminMixin, VersionedAdminMixin
from programmes.models import CareSetting, Measure, Principle, Programme, Workstream


class WorkstreamInline(admin.TabularInline):
    model = Workstream
    extra = 0
    fields = ["name", "slug", "aim", "order"]
    prepopulated_fields = {"slug": ["name"]}
    show_change_link = True


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0
    fields = ["key", "label", "target", "period", "source", "workstream", "order"]


@admin.register(Programme)
class ProgrammeAdmin(ReviewAdminMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    actions = ["mark_reviewed"]
    list_display = ["name", "short_name", "status", "status_from", "order"]
    list_filter = ["status"]
    list_editable = ["order"]
    search_fields = ["name", "short_name", "summary", "aims"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["principles"]
    inlines = [WorkstreamInline, MeasureInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "order"]}),
        ("Content", {"fields": ["summary", "aims", "principles"]}),
        ("Status", {"fields": ["status", "status_from", "status_note"]}),
        ("Contact", {"fields": ["contact_name", "contact_email"]}),
        ("Review", {"fields": ["last_reviewed", "review_by"]}),
    ]


@admin.register(Workstream)
class WorkstreamAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "programme", "order"]
    list_filter = ["programme"]
    search_fields = ["name", "aim", "programme__name"]
    list_select_related = ["programme"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["programme"]


@admin.register(Measure)
class MeasureAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["label", "target", "period", "programme", "workstream", "source"]
    list_filter = ["programme"]
    search_fields = ["label", "target", "period", "source"]
    list_select_related = ["programme", "workstream__programme"]
    autocomplete_fields = ["programme", "workstream"]


@admin.register(Principle)
class PrincipleAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "order"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CareSetting)
class CareSettingAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
